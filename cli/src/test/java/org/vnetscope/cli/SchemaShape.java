package org.vnetscope.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The part of JSON Schema our schema uses (type, required, properties, items, enum, local $ref), enough to
 * check that a document has the promised shape without a validator dependency.
 */
final class SchemaShape {
    private SchemaShape() {
    }

    static void check(JsonNode root, JsonNode schema, JsonNode value, String path, List<String> problems) {
        if (schema.has("$ref")) {
            String[] parts = schema.get("$ref").asText().substring(2).split("/");
            JsonNode target = root;
            for (String part : parts) {
                target = target.get(part);
            }
            check(root, target, value, path, problems);
            return;
        }
        if (schema.has("enum")) {
            boolean found = false;
            for (JsonNode option : schema.get("enum")) {
                found |= option.equals(value);
            }
            if (!found) {
                problems.add(path + ": " + value + " not in " + schema.get("enum"));
            }
            return;
        }
        if (schema.has("type") && !typeMatches(schema.get("type"), value)) {
            problems.add(path + ": expected " + schema.get("type").asText(schema.get("type").toString()));
            return;
        }
        if (value.isObject()) {
            if (schema.has("required")) {
                for (JsonNode name : schema.get("required")) {
                    if (!value.has(name.asText())) {
                        problems.add(path + ": missing " + name.asText());
                    }
                }
            }
            if (schema.has("properties")) {
                schema.get("properties").fields().forEachRemaining(property -> {
                    if (value.has(property.getKey())) {
                        check(root, property.getValue(), value.get(property.getKey()),
                                path + "." + property.getKey(), problems);
                    }
                });
            }
        }
        if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                check(root, schema.get("items"), value.get(i), path + "[" + i + "]", problems);
            }
        }
    }

    private static boolean typeMatches(JsonNode type, JsonNode value) {
        if (type.isArray()) {
            for (JsonNode option : type) {
                if (typeMatches(option, value)) {
                    return true;
                }
            }
            return false;
        }
        return switch (type.asText()) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isTextual();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            case "null" -> value.isNull();
            default -> false;
        };
    }
}
