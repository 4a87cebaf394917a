package org.vnetscope.ctf.internal.tsdl;

import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.vnetscope.ctf.CtfException;
import org.vnetscope.ctf.Scope;
import org.vnetscope.ctf.TraceReader;
import org.vnetscope.ctf.meta.ArrayType;
import org.vnetscope.ctf.meta.Callsite;
import org.vnetscope.ctf.meta.ClockClass;
import org.vnetscope.ctf.meta.Encoding;
import org.vnetscope.ctf.meta.EnumType;
import org.vnetscope.ctf.meta.EventClass;
import org.vnetscope.ctf.meta.FieldType;
import org.vnetscope.ctf.meta.FloatType;
import org.vnetscope.ctf.meta.IntegerType;
import org.vnetscope.ctf.meta.SequenceType;
import org.vnetscope.ctf.meta.StreamClass;
import org.vnetscope.ctf.meta.StringType;
import org.vnetscope.ctf.meta.StructType;
import org.vnetscope.ctf.meta.TraceClass;
import org.vnetscope.ctf.meta.VariantType;

/**
 * Parses CTF 1.8 metadata (TSDL, plain or packetized) into a {@link TraceClass}. A recursive-descent parser over
 * the tokens of {@link Lexer}. While parsing, types whose byte order is "native" carry a null byte order and
 * variant tags and sequence lengths are unresolved ({@link Reference}); {@link ReferenceResolver} settles both
 * once the whole text is read, when the trace's byte order and every dynamic scope are known.
 */
public final class MetadataParser {

    /** Deepest nesting of type declarations accepted, far above what tracers write. */
    static final int MAX_NESTING = 64;

    private static final Set<String> KEYWORDS = Set.of("align", "callsite", "const", "char", "clock", "double",
            "enum", "env", "event", "floating_point", "float", "integer", "int", "long", "short", "signed", "stream",
            "string", "struct", "trace", "typealias", "typedef", "unsigned", "variant", "void", "_Bool", "_Complex",
            "_Imaginary");
    /** Keywords that may be part of a type name, as in C: {@code unsigned long}. */
    private static final Set<String> TYPE_NAME_WORDS = Set.of("const", "char", "double", "float", "int", "long",
            "short", "signed", "unsigned", "void", "_Bool", "_Complex", "_Imaginary");

    private final MetadataText source;
    private Token[] tokens;
    private final TraceReader.Warnings warnings;
    private int next;
    private int nesting;
    private int warningCount;

    /** Declaration scopes, innermost first: type names, struct/variant/enum names. */
    private final Deque<Declarations> declarations = new ArrayDeque<>();
    /** Structures whose body is being parsed, innermost first: where relative references are looked up. */
    private final Deque<StructBuilder> openStructs = new ArrayDeque<>();
    private final Map<FieldType, Reference> references = new IdentityHashMap<>();

    private TraceBlock trace;
    private final List<StreamBlock> streams = new ArrayList<>();
    private final List<EventBlock> events = new ArrayList<>();
    private final Map<String, Object> env = new LinkedHashMap<>();
    private final Map<String, ClockClass> clocks = new LinkedHashMap<>();
    private final List<Callsite> callsites = new ArrayList<>();
    private final List<Token> clockMappings = new ArrayList<>();

    private MetadataParser(MetadataText source, TraceReader.Warnings warnings) {
        this.source = source;
        this.tokens = Lexer.tokenize(source);
        this.warnings = warnings;
    }

    /**
     * Reads and parses a trace's metadata file.
     *
     * @throws CtfException naming the file and byte offset when the metadata is invalid
     */
    public static TraceClass parse(Path metadataFile, TraceReader.Warnings warnings) {
        MetadataText text = MetadataText.read(metadataFile);
        try {
            return new MetadataParser(text, warnings).parseTrace();
        } catch (StackOverflowError e) {
            throw text.error(0, "metadata nested too deeply to parse");
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // top level

    private TraceClass parseTrace() {
        declarations.push(new Declarations());
        while (peek().kind() != Token.Kind.END) {
            parseTopLevel();
        }
        if (trace == null) {
            throw source.error(peek().position(), "no trace block: expected 'trace { major = 1; minor = 8; "
                    + "byte_order = ...; }'");
        }
        for (Token mapping : clockMappings) {
            if (!clocks.containsKey(mapping.text())) {
                warnings.warn(source.file + " at byte " + source.fileOffset(mapping.position())
                        + ": integer mapped to undeclared clock '" + mapping.text() + "'");
            }
        }
        return new ReferenceResolver(source, references, trace.byteOrder)
                .build(trace, streams, events, env, clocks, callsites);
    }

    private void parseTopLevel() {
        Token first = peek();
        if (first.kind() != Token.Kind.IDENTIFIER) {
            throw expected("a declaration or a block (trace, env, clock, stream, event, callsite)", first);
        }
        switch (first.text()) {
            case "trace" -> parseTraceBlock();
            case "env" -> parseEnvBlock();
            case "clock" -> parseClockBlock();
            case "stream" -> parseStreamBlock();
            case "event" -> parseEventBlock();
            case "callsite" -> parseCallsiteBlock();
            case "typealias", "typedef" -> parseTypeDeclaration();
            default -> {
                if (!isDefinitionOnly(first)) {
                    throw source.error(first.position(), "a declaration at top level must name a struct, variant "
                            + "or enum, or be a typedef or typealias");
                }
                // babeltrace accepts consecutive definitions without the semicolon between them
                parseTypeSpecifier(false);
                if (!(peek().is("struct") || peek().is("variant") || peek().is("enum"))) {
                    expect(";");
                }
            }
        }
    }

    private boolean isDefinitionOnly(Token first) {
        return first.is("struct") || first.is("variant") || first.is("enum");
    }

    private void parseTraceBlock() {
        Token keyword = take();
        if (trace != null) {
            throw source.error(keyword.position(), "second trace block: expected only one");
        }
        TraceBlock block = new TraceBlock();
        for (Attribute attribute : parseBlock()) {
            switch (attribute.name) {
                case "major" -> block.major = (int) integer(attribute, 0, 255);
                case "minor" -> block.minor = (int) integer(attribute, 0, 255);
                case "uuid" -> block.uuid = uuid(attribute);
                case "byte_order" -> {
                    block.byteOrder = byteOrder(attribute);
                    if (block.byteOrder == null) {
                        throw source.error(attribute.position, "the trace byte_order must be be, le or network, "
                                + "not native");
                    }
                    block.byteOrderPosition = attribute.position;
                }
                case "packet.header" -> block.packetHeader = scopeStruct(attribute);
                default -> unknownAttribute("trace", attribute);
            }
        }
        if (block.major == null || block.minor == null) {
            throw source.error(keyword.position(), "trace block without major and minor: expected major = 1; "
                    + "minor = 8;");
        }
        if (block.major != 1 || block.minor != 8) {
            throw source.error(keyword.position(), "unsupported CTF version " + block.major + "." + block.minor
                    + ": expected 1.8");
        }
        if (block.byteOrder == null) {
            throw source.error(keyword.position(), "trace block without byte_order: expected be, le or network");
        }
        if (source.packetByteOrder != null && source.packetByteOrder != block.byteOrder) {
            throw source.error(block.byteOrderPosition, "trace byte_order " + name(block.byteOrder)
                    + " differs from the metadata packets' byte order " + name(source.packetByteOrder));
        }
        trace = block;
    }

    private void parseEnvBlock() {
        take();
        for (Attribute attribute : parseBlock()) {
            Value value = attribute.value;
            if (value == null) {
                throw source.error(attribute.position, "env entries are values: expected '" + attribute.name
                        + " = ...;'");
            }
            env.put(attribute.name, value.kind == Value.Kind.INTEGER ? (Object) value.number.longValue()
                    : value.text);
        }
    }

    private void parseClockBlock() {
        Token keyword = take();
        String name = null;
        UUID uuid = null;
        String description = null;
        long frequency = 1_000_000_000L;
        long precision = 0;
        long offsetSeconds = 0;
        long offsetCycles = 0;
        boolean absolute = false;
        for (Attribute attribute : parseBlock()) {
            switch (attribute.name) {
                case "name" -> name = text(attribute);
                case "uuid" -> uuid = uuid(attribute);
                case "description" -> description = string(attribute);
                case "freq" -> frequency = integer(attribute, 1, Long.MAX_VALUE);
                case "precision" -> precision = integer(attribute, 0, Long.MAX_VALUE);
                case "offset_s" -> offsetSeconds = integer(attribute, Long.MIN_VALUE, Long.MAX_VALUE);
                case "offset" -> offsetCycles = integer(attribute, Long.MIN_VALUE, Long.MAX_VALUE);
                case "absolute" -> absolute = bool(attribute);
                default -> unknownAttribute("clock", attribute);
            }
        }
        if (name == null) {
            throw source.error(keyword.position(), "clock without name: expected name = ...;");
        }
        if (clocks.containsKey(name)) {
            throw source.error(keyword.position(), "clock '" + name + "' declared twice");
        }
        clocks.put(name, new ClockClass(name, uuid, description, frequency, precision, offsetSeconds,
                offsetCycles, absolute));
    }

    private void parseStreamBlock() {
        StreamBlock block = new StreamBlock(take().position());
        for (Attribute attribute : parseBlock()) {
            switch (attribute.name) {
                case "id" -> block.id = integer(attribute, 0, Long.MAX_VALUE);
                case "packet.context" -> block.packetContext = scopeStruct(attribute);
                case "event.header" -> block.eventHeader = scopeStruct(attribute);
                case "event.context" -> block.eventContext = scopeStruct(attribute);
                default -> unknownAttribute("stream", attribute);
            }
        }
        streams.add(block);
    }

    private void parseEventBlock() {
        EventBlock block = new EventBlock(take().position());
        for (Attribute attribute : parseBlock()) {
            switch (attribute.name) {
                case "name" -> block.name = text(attribute);
                case "id" -> block.id = integer(attribute, 0, Long.MAX_VALUE);
                case "stream_id" -> block.streamId = integer(attribute, 0, Long.MAX_VALUE);
                case "loglevel" -> block.logLevel = integer(attribute, Long.MIN_VALUE, Long.MAX_VALUE);
                case "model.emf.uri" -> block.modelEmfUri = string(attribute);
                case "context" -> block.context = scopeStruct(attribute);
                case "fields" -> block.payload = scopeStruct(attribute);
                default -> {
                    unknownAttribute("event", attribute);
                    if (attribute.value != null) {
                        block.attributes.put(attribute.name, attribute.value.text);
                    }
                }
            }
        }
        if (block.name == null) {
            throw source.error(block.position, "event without name: expected name = ...;");
        }
        events.add(block);
    }

    private void parseCallsiteBlock() {
        Token keyword = take();
        String name = null;
        String function = null;
        long ip = 0;
        String file = null;
        long line = 0;
        for (Attribute attribute : parseBlock()) {
            switch (attribute.name) {
                case "name" -> name = text(attribute);
                case "func" -> function = text(attribute);
                case "ip" -> ip = integer(attribute, Long.MIN_VALUE, Long.MAX_VALUE);
                case "file" -> file = text(attribute);
                case "line" -> line = integer(attribute, 0, Long.MAX_VALUE);
                default -> unknownAttribute("callsite", attribute);
            }
        }
        if (name == null) {
            throw source.error(keyword.position(), "callsite without name: expected name = ...;");
        }
        callsites.add(new Callsite(name, function, ip, file, line));
    }

    private void unknownAttribute(String block, Attribute attribute) {
        warningCount++;
        warnings.warn(source.file + " at byte " + source.fileOffset(attribute.position) + ": unknown " + block
                + " attribute '" + attribute.name + "' ignored");
    }

    private StructType scopeStruct(Attribute attribute) {
        if (!(attribute.type instanceof StructType struct)) {
            throw source.error(attribute.position, "'" + attribute.name + "' must be assigned a struct: expected '"
                    + attribute.name + " := struct { ... };'");
        }
        return struct;
    }

    /**
     * A block body: {@code { (attribute | typedef | typealias | struct/variant/enum definition)* } ;}. Type
     * declarations inside are visible in the block only.
     */
    private List<Attribute> parseBlock() {
        expect("{");
        declarations.push(new Declarations());
        List<Attribute> attributes = new ArrayList<>();
        while (!peek().is("}")) {
            Token first = peek();
            if (first.is("typealias") || first.is("typedef")) {
                parseTypeDeclaration();
            } else if ((first.is("struct") || first.is("variant") || first.is("enum"))) {
                parseTypeSpecifier(false);
                expect(";");
            } else {
                addOnce(attributes, parseAttribute());
            }
        }
        take();
        expect(";");
        declarations.pop();
        return attributes;
    }

    /** {@code name(.name)* = value ;} or {@code name(.name)* := type ;} */
    private Attribute parseAttribute() {
        Token first = peek();
        if (first.kind() != Token.Kind.IDENTIFIER) {
            throw expected("an attribute name", first);
        }
        String name = take().text();
        if (peek().is(".")) {
            // Dotted names (trace.packet.header) are rare: most attributes keep their token's text.
            StringBuilder dotted = new StringBuilder(name);
            while (peek().is(".")) {
                take();
                dotted.append('.').append(word("an attribute name after '.'").text());
            }
            name = dotted.toString();
        }
        Attribute attribute;
        if (peek().is("=")) {
            take();
            attribute = new Attribute(name, first.position(), parseValue(), null);
        } else if (peek().is(":=")) {
            take();
            FieldType type = parseTypeSpecifier(false);
            requireTagged(type, first);
            attribute = new Attribute(name, first.position(), null, type);
        } else {
            throw expected("'=' or ':=' after attribute '" + name + "'", peek());
        }
        expect(";");
        return attribute;
    }

    /** A unary expression: a signed integer, a string, or a dotted identifier ({@code clock.monotonic.value}). */
    private Value parseValue() {
        Token first = peek();
        if (first.is("+") || first.is("-")) {
            take();
            Token number = take();
            if (number.kind() != Token.Kind.INTEGER) {
                throw expected("an integer after '" + first.text() + "'", number);
            }
            BigInteger value = first.is("-") ? number.number().negate() : number.number();
            return new Value(Value.Kind.INTEGER, first.text() + number.text(), value, first.position());
        }
        switch (first.kind()) {
            case INTEGER -> {
                take();
                return new Value(Value.Kind.INTEGER, first.text(), first.number(), first.position());
            }
            case STRING -> {
                take();
                return new Value(Value.Kind.STRING, first.text(), null, first.position());
            }
            case IDENTIFIER -> {
                String path = take().text();
                if (peek().is(".")) {
                    StringBuilder dotted = new StringBuilder(path);
                    while (peek().is(".")) {
                        take();
                        dotted.append('.').append(word("a name after '.'").text());
                    }
                    path = dotted.toString();
                }
                return new Value(Value.Kind.WORDS, path, null, first.position());
            }
            default -> throw expected("a value (integer, string or identifier)", first);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // type declarations

    /** {@code typealias type := name;} or {@code typedef type declarator, ...;} */
    private void parseTypeDeclaration() {
        Token keyword = take();
        if (keyword.is("typealias")) {
            FieldType type = parseTypeSpecifier(false);
            expect(":=");
            Token first = peek();
            List<String> words = new ArrayList<>();
            while (peek().kind() == Token.Kind.IDENTIFIER && isTypeNameWord(peek().text())) {
                words.add(take().text());
            }
            if (words.isEmpty()) {
                throw expected("the alias name after ':=' (a non-keyword identifier)", first);
            }
            expect(";");
            declareType(String.join(" ", words), type, first);
        } else {
            FieldType base = parseTypeSpecifier(true);
            do {
                Declarator declarator = parseDeclarator(base);
                declareType(declarator.name, declarator.type, declarator.token);
            } while (takeIf(","));
            expect(";");
        }
    }

    private void declareType(String name, FieldType type, Token at) {
        Map<String, FieldType> types = declarations.peek().types();
        if (types.containsKey(name)) {
            throw source.error(at.position(), "type '" + name + "' already declared in this scope");
        }
        types.put(name, type);
    }

    /**
     * A type: {@code integer {...}}, {@code floating_point {...}}, {@code string}, a struct, variant or enum
     * (definition or reference), or a type name. With {@code declaratorFollows}, the last word of a multi-word
     * name is left for the declarator ({@code unsigned long x}).
     */
    private FieldType parseTypeSpecifier(boolean declaratorFollows) {
        Token first = peek();
        if (first.kind() != Token.Kind.IDENTIFIER) {
            throw expected("a type", first);
        }
        if (++nesting > MAX_NESTING) {
            throw source.error(first.position(), "types nested deeper than " + MAX_NESTING + " levels");
        }
        try {
            return switch (first.text()) {
                case "integer" -> parseInteger();
                case "floating_point" -> parseFloat();
                case "string" -> parseString();
                case "struct" -> parseStruct();
                case "variant" -> parseVariant();
                case "enum" -> parseEnum(declaratorFollows);
                default -> parseTypeName(declaratorFollows);
            };
        } finally {
            nesting--;
        }
    }

    private FieldType parseTypeName(boolean declaratorFollows) {
        Token first = peek();
        List<Token> words = new ArrayList<>();
        while (peek().kind() == Token.Kind.IDENTIFIER && isTypeNameWord(peek().text())) {
            words.add(take());
        }
        if (words.isEmpty()) {
            throw expected("a type", first);
        }
        if (declaratorFollows && words.size() > 1 && !KEYWORDS.contains(words.get(words.size() - 1).text())
                && (peek().is(";") || peek().is(",") || peek().is("[") || peek().is(":"))) {
            words.remove(words.size() - 1);
            next--;
        }
        StringBuilder name = new StringBuilder();
        for (Token word : words) {
            name.append(name.length() == 0 ? "" : " ").append(word.text());
        }
        FieldType type = lookupType(name.toString());
        if (type == null) {
            throw source.error(first.position(), "unknown type '" + name + "': expected a declared typealias or "
                    + "typedef");
        }
        return type;
    }

    private static boolean isTypeNameWord(String word) {
        return !KEYWORDS.contains(word) || TYPE_NAME_WORDS.contains(word);
    }

    private FieldType lookupType(String name) {
        for (Declarations scope : declarations) {
            FieldType type = scope.types == null ? null : scope.types.get(name);
            if (type != null) {
                return type;
            }
        }
        return null;
    }

    /**
     * {@code integer { attributes }}. A kernel trace's metadata writes the same few integer declarations thousands
     * of times: the lexer makes a body written like an earlier one a single token ({@link Token.Kind#REPEATED_BODY}),
     * which is that body's type again when parsing it had no side effect (clock mapping, warning).
     */
    private IntegerType parseInteger() {
        int start = next;
        if (tokens[start + 1].kind() == Token.Kind.REPEATED_BODY) {
            return parseRepeatedInteger(start, tokens[start + 1]);
        }
        int mappings = clockMappings.size();
        int warned = warningCount;
        IntegerType parsed = parseIntegerBody();
        if (clockMappings.size() == mappings && warningCount == warned) {
            typeOfBody.put(start + 1, parsed);
        }
        return parsed;
    }

    /** Integer types by the index of the '{' beginning their body, of the bodies parsed without a side effect. */
    private final Map<Integer, IntegerType> typeOfBody = new HashMap<>();

    /**
     * An integer body the lexer found written like an earlier one: that one's type, or, when parsing it had a side
     * effect this one must have too (a clock mapping, a warning), its tokens parsed again, moved to where this one
     * stands.
     */
    private IntegerType parseRepeatedInteger(int start, Token repeated) {
        IntegerType known = typeOfBody.get(repeated.repeats());
        if (known != null) {
            next = start + 2;
            return known;
        }
        int first = repeated.repeats();
        int close = first;
        while (!(tokens[close].kind() == Token.Kind.PUNCTUATOR && tokens[close].is("}"))) {
            close++;
        }
        int shift = repeated.position() - tokens[first].position();
        Token[] moved = new Token[close - first + 3];
        moved[0] = tokens[start];
        for (int i = first; i <= close; i++) {
            Token token = tokens[i];
            moved[1 + i - first] = new Token(token.kind(), token.text(), token.position() + shift, token.number());
        }
        moved[moved.length - 1] = new Token(Token.Kind.END, "", moved[moved.length - 2].position() + 1, null);
        Token[] all = tokens;
        tokens = moved;
        next = 0;
        try {
            return parseIntegerBody();
        } finally {
            tokens = all;
            next = start + 2;
        }
    }

    private IntegerType parseIntegerBody() {
        Token keyword = take();
        Integer size = null;
        Integer align = null;
        boolean signed = false;
        ByteOrder byteOrder = null;
        int base = 10;
        Encoding encoding = Encoding.NONE;
        String clock = null;
        for (Attribute attribute : parseTypeAttributes()) {
            switch (attribute.name) {
                case "size" -> size = (int) integer(attribute, 1, IntegerType.MAX_SIZE_BITS);
                case "align" -> align = alignment(attribute);
                case "signed" -> signed = bool(attribute);
                case "byte_order" -> byteOrder = byteOrder(attribute);
                case "base" -> base = base(attribute);
                case "encoding" -> encoding = encoding(attribute);
                case "map" -> clock = clockMapping(attribute);
                default -> unknownAttribute("integer", attribute);
            }
        }
        if (size == null) {
            throw source.error(keyword.position(), "integer without size: expected size = N;");
        }
        if (size > 64 && clock != null) {
            throw source.error(keyword.position(), "a " + size + "-bit integer cannot hold a clock value (64 bits at most)");
        }
        int alignment = align != null ? align : size % 8 == 0 ? 8 : 1;
        return new IntegerType(size, alignment, signed, byteOrder, base, encoding, clock);
    }

    private FloatType parseFloat() {
        Token keyword = take();
        Integer exponent = null;
        Integer mantissa = null;
        Integer align = null;
        ByteOrder byteOrder = null;
        for (Attribute attribute : parseTypeAttributes()) {
            switch (attribute.name) {
                case "exp_dig" -> exponent = (int) integer(attribute, 1, 64);
                case "mant_dig" -> mantissa = (int) integer(attribute, 1, 64);
                case "align" -> align = alignment(attribute);
                case "byte_order" -> byteOrder = byteOrder(attribute);
                default -> unknownAttribute("floating_point", attribute);
            }
        }
        if (exponent == null || mantissa == null || exponent + mantissa > 64) {
            throw source.error(keyword.position(), "floating_point needs exp_dig and mant_dig, 64 bits at most");
        }
        int alignment = align != null ? align : (exponent + mantissa) % 8 == 0 ? 8 : 1;
        return new FloatType(exponent, mantissa, alignment, byteOrder);
    }

    private StringType parseString() {
        take();
        Encoding encoding = Encoding.UTF8;
        if (peek().is("{")) {
            for (Attribute attribute : parseTypeAttributes()) {
                if (attribute.name.equals("encoding")) {
                    encoding = encoding(attribute);
                } else {
                    unknownAttribute("string", attribute);
                }
            }
        }
        return new StringType(encoding);
    }

    /** {@code { name = value; ... }} of integer, floating_point and string. */
    private List<Attribute> parseTypeAttributes() {
        expect("{");
        List<Attribute> attributes = new ArrayList<>();
        while (!peek().is("}")) {
            Attribute attribute = parseAttribute();
            if (attribute.value == null) {
                throw source.error(attribute.position, "type attribute '" + attribute.name + "' needs a value: "
                        + "expected '='");
            }
            addOnce(attributes, attribute);
        }
        take();
        return attributes;
    }

    /** Adds an attribute to those of its block, which has a handful: a list scan finds one given twice. */
    private void addOnce(List<Attribute> attributes, Attribute attribute) {
        for (Attribute earlier : attributes) {
            if (earlier.name.equals(attribute.name)) {
                throw source.error(attribute.position, "attribute '" + attribute.name + "' given twice");
            }
        }
        attributes.add(attribute);
    }

    /** {@code struct [name] [{ members }] [align(n)]} */
    private StructType parseStruct() {
        take();
        Token name = peek().kind() == Token.Kind.IDENTIFIER && !KEYWORDS.contains(peek().text()) ? take() : null;
        if (!peek().is("{")) {
            if (name == null) {
                throw expected("a struct name or '{'", peek());
            }
            StructType declared = null;
            for (Declarations scope : declarations) {
                declared = scope.structs == null ? null : scope.structs.get(name.text());
                if (declared != null) {
                    break;
                }
            }
            if (declared == null) {
                throw source.error(name.position(), "unknown struct '" + name.text() + "': expected a struct "
                        + "declared before");
            }
            return declared;
        }
        StructBuilder builder = parseMembers("struct");
        int alignment = 1;
        if (peek().is("align")) {
            take();
            expect("(");
            Token value = take();
            if (value.kind() != Token.Kind.INTEGER || value.number().bitCount() != 1
                    || value.number().bitLength() > 31) {
                throw source.error(value.position(), "struct align must be a power of two: found "
                        + value.describe());
            }
            alignment = value.number().intValue();
            expect(")");
        }
        for (FieldType type : builder.types) {
            alignment = Math.max(alignment, type.alignmentBits());
        }
        StructType struct = new StructType(builder.fields(), alignment);
        builder.built = struct;
        if (name != null) {
            Map<String, StructType> structs = declarations.peek().structs();
            if (structs.containsKey(name.text())) {
                throw source.error(name.position(), "struct '" + name.text() + "' already declared in this scope");
            }
            structs.put(name.text(), struct);
        }
        return struct;
    }

    /** {@code variant [name] [<tag>] [{ options }]} */
    private VariantType parseVariant() {
        take();
        Token name = peek().kind() == Token.Kind.IDENTIFIER && !KEYWORDS.contains(peek().text()) ? take() : null;
        Reference tag = null;
        if (peek().is("<")) {
            take();
            tag = parseReference(true);
            expect(">");
            if (tag.target() != null && !(tag.target() instanceof EnumType)) {
                throw source.error(tag.position(), "variant tag '" + tag.text() + "' must be an enum field");
            }
        }
        VariantType variant;
        if (peek().is("{")) {
            Token open = peek();
            StructBuilder options = parseMembers("variant");
            if (options.types.isEmpty()) {
                throw source.error(open.position(), "variant without options");
            }
            variant = new VariantType(null, tag == null ? null : tag.text(), options.fields());
            if (name != null) {
                Map<String, VariantType> variants = declarations.peek().variants();
                if (variants.containsKey(name.text())) {
                    throw source.error(name.position(), "variant '" + name.text() + "' already declared in this "
                            + "scope");
                }
                variants.put(name.text(), variant);
            }
        } else {
            if (name == null) {
                throw expected("a variant name or '{'", peek());
            }
            VariantType declared = null;
            for (Declarations scope : declarations) {
                declared = scope.variants == null ? null : scope.variants.get(name.text());
                if (declared != null) {
                    break;
                }
            }
            if (declared == null) {
                throw source.error(name.position(), "unknown variant '" + name.text() + "'");
            }
            if (tag == null) {
                return declared;
            }
            variant = new VariantType(null, tag.text(), declared.options());
        }
        if (tag != null) {
            if (tag.target() != null) {
                ReferenceResolver.checkTag(source, variant, tag.target(), tag);
            }
            references.put(variant, tag);
        }
        return variant;
    }

    /**
     * The members of a struct or the options of a variant: {@code { (declaration | typedef | typealias)* }}.
     * A struct's members are where the relative references of its body are looked up.
     */
    private StructBuilder parseMembers(String kind) {
        expect("{");
        StructBuilder builder = new StructBuilder();
        declarations.push(new Declarations());
        boolean isStruct = kind.equals("struct");
        if (isStruct) {
            openStructs.push(builder);
        }
        while (!peek().is("}")) {
            Token first = peek();
            if (first.is("typealias") || first.is("typedef")) {
                parseTypeDeclaration();
                continue;
            }
            FieldType base = parseTypeSpecifier(true);
            if (peek().is(";") && isDefinitionOnly(first)) {
                take();
                continue;
            }
            do {
                Declarator declarator = parseDeclarator(base);
                requireTagged(declarator.type, declarator.token);
                if (builder.contains(declarator.name)) {
                    throw source.error(declarator.token.position(), "duplicate " + kind + " member '"
                            + declarator.name + "'");
                }
                builder.add(declarator.name, declarator.type);
            } while (takeIf(","));
            expect(";");
        }
        take();
        if (isStruct) {
            openStructs.pop();
        }
        declarations.pop();
        return builder;
    }

    private void requireTagged(FieldType type, Token at) {
        FieldType element = type;
        while (element instanceof ArrayType || element instanceof SequenceType) {
            element = element instanceof ArrayType array ? array.element() : ((SequenceType) element).element();
        }
        if (element instanceof VariantType variant && variant.tagText() == null) {
            throw source.error(at.position(), "variant used without a tag: expected 'variant name <tag>'");
        }
    }

    /** {@code name ([length] | [reference])*}: the first brackets are the outermost array, as in C. */
    private Declarator parseDeclarator(FieldType base) {
        Token name = peek();
        if (name.kind() != Token.Kind.IDENTIFIER) {
            throw expected("a name", name);
        }
        if (KEYWORDS.contains(name.text())) {
            throw source.error(name.position(), "'" + name.text() + "' is a reserved keyword: expected a name");
        }
        take();
        List<Object> dimensions = new ArrayList<>();
        while (peek().is("[")) {
            take();
            Token length = peek();
            if (length.kind() == Token.Kind.INTEGER) {
                take();
                if (length.number().bitLength() > 31) {
                    throw source.error(length.position(), "array length " + length.text() + " too large");
                }
                dimensions.add(length.number().intValue());
            } else if (length.kind() == Token.Kind.IDENTIFIER) {
                dimensions.add(parseReference(false));
            } else {
                throw expected("an array length or a sequence length field", length);
            }
            expect("]");
        }
        FieldType type = base;
        for (int i = dimensions.size() - 1; i >= 0; i--) {
            if (dimensions.get(i) instanceof Integer length) {
                type = new ArrayType(type, length);
            } else {
                Reference reference = (Reference) dimensions.get(i);
                if (reference.target() != null && !(reference.target() instanceof IntegerType integer
                        && !integer.signed() && !integer.wide())) {
                    throw source.error(reference.position(), "sequence length '" + reference.text()
                            + "' must be an unsigned integer field");
                }
                SequenceType sequence = new SequenceType(type, null, reference.text());
                references.put(sequence, reference);
                type = sequence;
            }
        }
        return new Declarator(name.text(), type, name);
    }

    /**
     * A field reference: {@code a.b.c}, absolute when it starts with a scope prefix ({@code event.fields.},
     * {@code stream.event.context.}, ...). A relative reference is looked up now among the members declared so
     * far in the enclosing structures, innermost first; when none has it, it is looked up once the field is
     * placed (earlier dynamic scopes).
     */
    private Reference parseReference(boolean tag) {
        Token first = peek();
        if (first.kind() != Token.Kind.IDENTIFIER) {
            throw expected(tag ? "a variant tag field name" : "a sequence length field name", first);
        }
        List<String> components = new ArrayList<>();
        components.add(take().text());
        while (peek().is(".")) {
            take();
            components.add(word("a field name after '.'").text());
        }
        String text = String.join(".", components);
        Scope absolute = absoluteScope(components);
        if (absolute != null) {
            List<String> path = components.subList(absolutePrefixLength(absolute), components.size());
            if (path.isEmpty()) {
                throw source.error(first.position(), "reference '" + text + "' names a scope, not a field");
            }
            return new Reference(text, first.position(), absolute, List.copyOf(path), null, null, null);
        }
        if (KEYWORDS.contains(components.get(0))) {
            throw source.error(first.position(), "'" + components.get(0) + "' is a reserved keyword: expected a "
                    + "field name");
        }
        for (StructBuilder owner : openStructs) {
            int index = owner.find(components.get(0));
            if (index < 0) {
                continue;
            }
            int[] indexes = new int[components.size()];
            indexes[0] = index;
            FieldType target = owner.types.get(index);
            for (int i = 1; i < components.size(); i++) {
                if (!(target instanceof StructType struct) || (indexes[i] = indexOfMember(struct,
                        components.get(i))) < 0) {
                    throw source.error(first.position(), "no field '" + components.get(i) + "' in '"
                            + String.join(".", components.subList(0, i)) + "'");
                }
                target = struct.fields().get(indexes[i]).type();
            }
            return new Reference(text, first.position(), null, List.copyOf(components), owner, indexes, target);
        }
        if (openStructs.isEmpty()) {
            throw source.error(first.position(), "cannot resolve '" + text + "': a relative reference must be "
                    + "inside a struct");
        }
        return new Reference(text, first.position(), null, List.copyOf(components), null, null, null);
    }

    /** Index of the member a reference component designates, tolerating the escaping underscore. */
    static int indexOfMember(StructType struct, String component) {
        int index = struct.indexOf(component);
        if (index < 0 && component.startsWith("_")) {
            index = struct.indexOf(component.substring(1));
        }
        return index;
    }

    private static Scope absoluteScope(List<String> components) {
        String first = components.get(0);
        String second = components.size() > 1 ? components.get(1) : "";
        String third = components.size() > 2 ? components.get(2) : "";
        return switch (first) {
            case "trace" -> second.equals("packet") && third.equals("header") ? Scope.PACKET_HEADER : null;
            case "stream" -> switch (second + "." + third) {
                case "packet.context" -> Scope.PACKET_CONTEXT;
                case "event.header" -> Scope.EVENT_HEADER;
                case "event.context" -> Scope.STREAM_EVENT_CONTEXT;
                default -> null;
            };
            case "event" -> second.equals("context") ? Scope.EVENT_CONTEXT
                    : second.equals("fields") ? Scope.EVENT_PAYLOAD : null;
            default -> null;
        };
    }

    private static int absolutePrefixLength(Scope scope) {
        return scope == Scope.EVENT_CONTEXT || scope == Scope.EVENT_PAYLOAD ? 2 : 3;
    }

    /** {@code enum [name] [: container] [{ labels }]}; the default container is the type named {@code int}. */
    private EnumType parseEnum(boolean declaratorFollows) {
        take();
        Token name = peek().kind() == Token.Kind.IDENTIFIER && !KEYWORDS.contains(peek().text()) ? take() : null;
        FieldType container = null;
        Token containerToken = null;
        if (peek().is(":")) {
            take();
            containerToken = peek();
            container = parseTypeSpecifier(declaratorFollows && !containerFollowedByBody());
        }
        if (!peek().is("{")) {
            if (name == null) {
                throw expected("an enum name or '{'", peek());
            }
            for (Declarations scope : declarations) {
                EnumType declared = scope.enums == null ? null : scope.enums.get(name.text());
                if (declared != null) {
                    return declared;
                }
            }
            throw source.error(name.position(), "unknown enum '" + name.text() + "'");
        }
        if (container == null) {
            containerToken = peek();
            container = lookupType("int");
            if (container == null) {
                throw source.error(containerToken.position(), "enum without container type and no type 'int' "
                        + "declared: expected 'enum : integer-type { ... }'");
            }
        }
        if (!(container instanceof IntegerType integer)) {
            throw source.error(containerToken.position(), "enum container must be an integer type");
        }
        if (integer.wide()) {
            throw source.error(containerToken.position(), "enum container of " + integer.sizeBits()
                    + " bits: at most 64 bits are supported");
        }
        List<EnumType.Mapping> mappings = parseEnumerators(integer);
        EnumType enumeration = new EnumType(integer, mappings);
        if (name != null) {
            Map<String, EnumType> enums = declarations.peek().enums();
            if (enums.containsKey(name.text())) {
                throw source.error(name.position(), "enum '" + name.text() + "' already declared in this scope");
            }
            enums.put(name.text(), enumeration);
        }
        return enumeration;
    }

    /** Whether the container type name that starts here is followed by the enum body '{'. */
    private boolean containerFollowedByBody() {
        int index = next;
        while (tokens[index].kind() == Token.Kind.IDENTIFIER && isTypeNameWord(tokens[index].text())) {
            index++;
        }
        return tokens[index].is("{");
    }

    private List<EnumType.Mapping> parseEnumerators(IntegerType container) {
        Token open = expect("{");
        BigInteger min = container.signed() ? BigInteger.ONE.shiftLeft(container.sizeBits() - 1).negate()
                : BigInteger.ZERO;
        BigInteger max = (container.signed() ? BigInteger.ONE.shiftLeft(container.sizeBits() - 1)
                : BigInteger.ONE.shiftLeft(container.sizeBits())).subtract(BigInteger.ONE);
        List<EnumType.Mapping> mappings = new ArrayList<>();
        BigInteger nextValue = BigInteger.ZERO;
        while (!peek().is("}")) {
            Token label = take();
            if (label.kind() != Token.Kind.STRING && (label.kind() != Token.Kind.IDENTIFIER
                    || KEYWORDS.contains(label.text()))) {
                throw expected("an enum label (identifier or string)", label);
            }
            BigInteger lower = nextValue;
            BigInteger upper = nextValue;
            if (takeIf("=")) {
                lower = enumValue();
                upper = takeIf("...") ? enumValue() : lower;
            }
            if (lower.compareTo(upper) > 0) {
                throw source.error(label.position(), "enum range of '" + label.text() + "' has its lower bound above "
                        + "its upper bound");
            }
            if (lower.compareTo(min) < 0 || upper.compareTo(max) > 0) {
                throw source.error(label.position(), "value of enum label '" + label.text() + "' out of range of its "
                        + (container.signed() ? "signed " : "unsigned ") + container.sizeBits() + "-bit container: "
                        + "expected " + min + ".." + max);
            }
            mappings.add(new EnumType.Mapping(label.text(), lower.longValue(), upper.longValue()));
            nextValue = upper.add(BigInteger.ONE);
            if (!takeIf(",")) {
                break;
            }
        }
        expect("}");
        if (mappings.isEmpty()) {
            throw source.error(open.position(), "enum without labels");
        }
        return mappings;
    }

    private BigInteger enumValue() {
        Value value = parseValue();
        if (value.kind != Value.Kind.INTEGER) {
            throw source.error(value.position, "enum value must be an integer: found '" + value.text + "'");
        }
        return value.number;
    }

    // ---------------------------------------------------------------------------------------------------------
    // attribute values

    private long integer(Attribute attribute, long min, long max) {
        Value value = attribute.value;
        if (value == null || value.kind != Value.Kind.INTEGER) {
            throw source.error(attribute.position, "'" + attribute.name + "' must be an integer");
        }
        // Literals are at most 64 bits wide: one that fits a long is compared as a long.
        BigInteger number = value.number;
        boolean inRange = number.bitLength() < 64 ? number.longValue() >= min && number.longValue() <= max
                : number.compareTo(BigInteger.valueOf(min)) >= 0 && number.compareTo(BigInteger.valueOf(max)) <= 0;
        if (!inRange) {
            throw source.error(value.position, "'" + attribute.name + "' = " + value.text + " out of range: "
                    + "expected " + min + ".." + max);
        }
        return value.number.longValue();
    }

    private String string(Attribute attribute) {
        Value value = attribute.value;
        if (value == null || value.kind != Value.Kind.STRING) {
            throw source.error(attribute.position, "'" + attribute.name + "' must be a string literal");
        }
        return value.text;
    }

    /** A string literal or an identifier, as event and clock names may be either. */
    private String text(Attribute attribute) {
        Value value = attribute.value;
        if (value == null || value.kind == Value.Kind.INTEGER) {
            throw source.error(attribute.position, "'" + attribute.name + "' must be a string or an identifier");
        }
        return value.text;
    }

    private String word(Attribute attribute) {
        Value value = attribute.value;
        if (value == null || value.kind != Value.Kind.WORDS) {
            throw source.error(attribute.position, "'" + attribute.name + "' must be an identifier, not "
                    + (value == null ? "a type" : value.kind == Value.Kind.STRING ? "a string" : "an integer"));
        }
        return value.text;
    }

    private boolean bool(Attribute attribute) {
        Value value = attribute.value;
        if (value != null && value.kind == Value.Kind.INTEGER && value.number.signum() >= 0
                && value.number.compareTo(BigInteger.ONE) <= 0) {
            return value.number.signum() == 1;
        }
        String word = word(attribute);
        return switch (word) {
            case "true", "TRUE" -> true;
            case "false", "FALSE" -> false;
            default -> throw source.error(attribute.position, "'" + attribute.name + "' = " + word
                    + ": expected true, false, 1 or 0");
        };
    }

    /** be/network, le, or native (returned as null: resolved to the trace's byte order at the end). */
    private ByteOrder byteOrder(Attribute attribute) {
        String word = word(attribute);
        return switch (word) {
            case "be", "network" -> ByteOrder.BIG_ENDIAN;
            case "le" -> ByteOrder.LITTLE_ENDIAN;
            case "native" -> null;
            default -> throw source.error(attribute.position, "byte_order = " + word
                    + ": expected be, le, network or native");
        };
    }

    private int alignment(Attribute attribute) {
        long align = integer(attribute, 1, 1L << 30);
        if (Long.bitCount(align) != 1) {
            throw source.error(attribute.position, "align = " + align + ": expected a power of two");
        }
        return (int) align;
    }

    private int base(Attribute attribute) {
        Value value = attribute.value;
        if (value != null && value.kind == Value.Kind.INTEGER) {
            long base = integer(attribute, 2, 16);
            if (base == 2 || base == 8 || base == 10 || base == 16) {
                return (int) base;
            }
            throw source.error(attribute.position, "base = " + base + ": expected 2, 8, 10 or 16");
        }
        String word = word(attribute);
        return switch (word) {
            case "decimal", "dec", "d", "i", "u" -> 10;
            case "hexadecimal", "hex", "x", "X", "p" -> 16;
            case "octal", "oct", "o" -> 8;
            case "binary", "bin", "b" -> 2;
            default -> throw source.error(attribute.position, "base = " + word
                    + ": expected decimal, hexadecimal, octal, binary or 2, 8, 10, 16");
        };
    }

    private Encoding encoding(Attribute attribute) {
        String word = word(attribute);
        return switch (word.toLowerCase(Locale.ROOT)) {
            case "none" -> Encoding.NONE;
            case "utf8" -> Encoding.UTF8;
            case "ascii" -> Encoding.ASCII;
            default -> throw source.error(attribute.position, "encoding = " + word + ": expected none, UTF8 or ASCII");
        };
    }

    /** {@code map = clock.NAME.value} */
    private String clockMapping(Attribute attribute) {
        String[] parts = word(attribute).split("\\.");
        if (parts.length != 3 || !parts[0].equals("clock") || !parts[2].equals("value")) {
            throw source.error(attribute.position, "map = " + attribute.value.text
                    + ": expected clock.NAME.value");
        }
        clockMappings.add(new Token(Token.Kind.IDENTIFIER, parts[1], attribute.value.position, null));
        return parts[1];
    }

    private UUID uuid(Attribute attribute) {
        String text = string(attribute);
        if (!text.matches("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")) {
            String shown = text.length() > 40 ? text.substring(0, 40) + "..." : text;
            throw source.error(attribute.value.position, "malformed uuid \"" + shown
                    + "\": expected xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx");
        }
        return UUID.fromString(text);
    }

    private static String name(ByteOrder order) {
        return order == ByteOrder.BIG_ENDIAN ? "be" : "le";
    }

    // ---------------------------------------------------------------------------------------------------------
    // tokens

    private Token peek() {
        return tokens[next];
    }

    private Token take() {
        Token token = tokens[next];
        if (token.kind() != Token.Kind.END) {
            next++;
        }
        return token;
    }

    private boolean takeIf(String punctuator) {
        if (peek().is(punctuator) && peek().kind() == Token.Kind.PUNCTUATOR) {
            next++;
            return true;
        }
        return false;
    }

    private Token expect(String punctuator) {
        Token token = peek();
        if (token.kind() != Token.Kind.PUNCTUATOR || !token.text().equals(punctuator)) {
            throw expected("'" + punctuator + "'", token);
        }
        return take();
    }

    private Token word(String what) {
        Token token = peek();
        if (token.kind() != Token.Kind.IDENTIFIER) {
            throw expected(what, token);
        }
        return take();
    }

    private CtfException expected(String what, Token found) {
        return source.error(found.position(), "expected " + what + ", found " + found.describe());
    }

    // ---------------------------------------------------------------------------------------------------------
    // parse state

    /**
     * Names declared in one lexical scope (the top level, a block, a struct or variant body). Every struct body
     * and block opens one and nearly none declares anything: each map is made on the first declaration (null
     * until then).
     */
    private static final class Declarations {
        Map<String, FieldType> types;
        Map<String, StructType> structs;
        Map<String, VariantType> variants;
        Map<String, EnumType> enums;

        Map<String, FieldType> types() {
            return types != null ? types : (types = new HashMap<>());
        }

        Map<String, StructType> structs() {
            return structs != null ? structs : (structs = new HashMap<>());
        }

        Map<String, VariantType> variants() {
            return variants != null ? variants : (variants = new HashMap<>());
        }

        Map<String, EnumType> enums() {
            return enums != null ? enums : (enums = new HashMap<>());
        }
    }

    private record Declarator(String name, FieldType type, Token token) {
    }

    /** A block or type attribute: a value ({@code =}) or a type ({@code :=}). */
    private record Attribute(String name, int position, Value value, FieldType type) {
    }

    private record Value(Kind kind, String text, BigInteger number, int position) {
        enum Kind { INTEGER, STRING, WORDS }
    }

    static final class TraceBlock {
        Integer major;
        Integer minor;
        UUID uuid;
        ByteOrder byteOrder;
        int byteOrderPosition;
        StructType packetHeader = StructType.EMPTY;
    }

    static final class StreamBlock {
        final int position;
        Long id;
        StructType packetContext = StructType.EMPTY;
        StructType eventHeader = StructType.EMPTY;
        StructType eventContext = StructType.EMPTY;

        StreamBlock(int position) {
            this.position = position;
        }
    }

    static final class EventBlock {
        final int position;
        String name;
        Long id;
        Long streamId;
        Long logLevel;
        String modelEmfUri;
        StructType context = StructType.EMPTY;
        StructType payload = StructType.EMPTY;
        final Map<String, String> attributes = new LinkedHashMap<>();

        EventBlock(int position) {
            this.position = position;
        }
    }
}
