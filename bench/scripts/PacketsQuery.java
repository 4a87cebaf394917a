import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * One session on MASTER; then RUNS times a notebook's first query over a trace's packets table (packets and bytes
 * per interface and direction), each timed from load() to its last row. Prints the session's start-up, the time
 * parts read, the rows' total (the same for every master) and each query's seconds.
 *
 * usage: java -cp CLASSPATH PacketsQuery.java MASTER RUNS TRACE...
 */
public class PacketsQuery {
    public static void main(String[] args) {
        String master = args[0];
        int runs = Integer.parseInt(args[1]);
        String[] traces = java.util.Arrays.copyOfRange(args, 2, args.length);
        long started = System.nanoTime();
        SparkSession spark = SparkSession.builder().master(master).appName("packets query")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("ERROR");
        double startup = (System.nanoTime() - started) / 1e9;
        List<String> seconds = new ArrayList<>();
        String totals = "";
        int parts = 0;
        for (int run = 0; run < runs; run++) {
            long queried = System.nanoTime();
            Dataset<Row> packets = spark.read().format("vnetscope").load(traces);
            List<Row> rows = packets.groupBy("host", "interface", "direction")
                    .agg(functions.count("*").alias("packets"), functions.sum("length").alias("bytes"))
                    .collectAsList();
            seconds.add(String.format("%.2f", (System.nanoTime() - queried) / 1e9));
            long packetCount = rows.stream().mapToLong(row -> row.getLong(3)).sum();
            long bytes = rows.stream().mapToLong(row -> row.getLong(4)).sum();
            totals = rows.size() + " groups, " + packetCount + " packets, " + bytes + " bytes";
            parts = packets.rdd().getNumPartitions();
        }
        System.out.printf("%s startup %.2f s, %d parts, %s; query s: %s%n", master, startup, parts, totals,
                String.join(" ", seconds));
        spark.stop();
    }
}
