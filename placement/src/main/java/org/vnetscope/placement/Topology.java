package org.vnetscope.placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A substrate in arrays: nodes (the problem's hosts first, in its order, then the switches), links by index, and
 * the candidate paths between two hosts: the k shortest by hop count (Yen's algorithm), loopless, through
 * switches only (a host does not forward other hosts' traffic), computed when first asked for.
 */
final class Topology {

    final String[] nodeNames;
    final int hosts;
    final int[] linkA;
    final int[] linkB;
    final long[] linkBps;
    final String[] linkNames;
    final int pathsPerPair;
    /** Per node: the links at it, in file order (which makes the paths found the same on every run). */
    private final int[][] linksAt;
    /** Paths per unordered host pair, each a sequence of link indices from the lower host to the higher. */
    private final int[][][][] paths;

    Topology(List<HostSpec> hostList, Substrate substrate, int pathsPerPair) {
        if (pathsPerPair < 1) {
            throw new IllegalArgumentException("the number of candidate paths per host pair must be at least 1");
        }
        substrate.check(hostList);
        this.pathsPerPair = pathsPerPair;
        hosts = hostList.size();
        nodeNames = new String[hosts + substrate.switches().size()];
        Map<String, Integer> index = new HashMap<>();
        for (int h = 0; h < hosts; h++) {
            nodeNames[h] = hostList.get(h).name();
            index.put(nodeNames[h], h);
        }
        for (int s = 0; s < substrate.switches().size(); s++) {
            nodeNames[hosts + s] = substrate.switches().get(s);
            index.put(nodeNames[hosts + s], hosts + s);
        }
        int links = substrate.links().size();
        linkA = new int[links];
        linkB = new int[links];
        linkBps = new long[links];
        linkNames = new String[links];
        int[] degree = new int[nodeNames.length];
        for (int l = 0; l < links; l++) {
            Substrate.Link link = substrate.links().get(l);
            linkA[l] = index.get(link.a());
            linkB[l] = index.get(link.b());
            linkBps[l] = link.bitsPerSecond();
            linkNames[l] = link.name();
            degree[linkA[l]]++;
            degree[linkB[l]]++;
        }
        linksAt = new int[nodeNames.length][];
        for (int n = 0; n < nodeNames.length; n++) {
            linksAt[n] = new int[degree[n]];
        }
        Arrays.fill(degree, 0);
        for (int l = 0; l < links; l++) {
            linksAt[linkA[l]][degree[linkA[l]]++] = l;
            linksAt[linkB[l]][degree[linkB[l]]++] = l;
        }
        paths = new int[hosts][][][];
    }

    int links() {
        return linkA.length;
    }

    boolean isHost(int node) {
        return node < hosts;
    }

    int otherEnd(int link, int node) {
        return linkA[link] == node ? linkB[link] : linkA[link];
    }

    boolean hasLinks(int host) {
        return linksAt[host].length > 0;
    }

    /** The candidate paths between two different hosts (none when no path joins them), shortest first. */
    int[][] paths(int a, int b) {
        int low = Math.min(a, b);
        int high = Math.max(a, b);
        if (paths[low] == null) {
            paths[low] = new int[hosts][][];
        }
        int[][] found = paths[low][high];
        if (found == null) {
            found = kShortest(low, high);
            paths[low][high] = found;
        }
        return found;
    }

    /** The nodes a path visits from the lower host to the higher. */
    List<String> nodesOf(int a, int b, int[] path) {
        int at = Math.min(a, b);
        List<String> nodes = new ArrayList<>();
        nodes.add(nodeNames[at]);
        for (int link : path) {
            at = otherEnd(link, at);
            nodes.add(nodeNames[at]);
        }
        return nodes;
    }

    /** The least capacity along a path. */
    long bottleneck(int[] path) {
        long least = Long.MAX_VALUE;
        for (int link : path) {
            least = Math.min(least, linkBps[link]);
        }
        return least;
    }

    /** The link that holds a path to its bottleneck (the first of them). */
    int narrowest(int[] path) {
        int narrowest = path[0];
        for (int link : path) {
            if (linkBps[link] < linkBps[narrowest]) {
                narrowest = link;
            }
        }
        return narrowest;
    }

    /**
     * Yen's k shortest loopless paths, by hop count: each next path leaves one of the previous path's nodes by a
     * link no path found so far with the same beginning took, the rest the shortest way that avoids the
     * beginning's nodes. Candidates of equal length are taken in the order of their links' indices.
     */
    private int[][] kShortest(int source, int target) {
        List<int[]> found = new ArrayList<>();
        int[] first = shortest(source, target, new boolean[nodeNames.length], new boolean[links()]);
        if (first == null) {
            return new int[0][];
        }
        found.add(first);
        Comparator<int[]> order = Comparator.<int[]>comparingInt(p -> p.length).thenComparing(Arrays::compare);
        TreeSet<int[]> candidates = new TreeSet<>(order);
        while (found.size() < pathsPerPair) {
            int[] previous = found.get(found.size() - 1);
            int spurNode = source;
            boolean[] blockedNodes = new boolean[nodeNames.length];
            for (int j = 0; j < previous.length; j++) {
                boolean[] blockedLinks = new boolean[links()];
                for (int[] path : found) {
                    if (path.length > j && Arrays.equals(path, 0, j, previous, 0, j)) {
                        blockedLinks[path[j]] = true;
                    }
                }
                int[] spur = shortest(spurNode, target, blockedNodes, blockedLinks);
                if (spur != null) {
                    int[] path = new int[j + spur.length];
                    System.arraycopy(previous, 0, path, 0, j);
                    System.arraycopy(spur, 0, path, j, spur.length);
                    boolean known = false;
                    for (int[] other : found) {
                        known |= Arrays.equals(other, path);
                    }
                    if (!known) {
                        candidates.add(path);
                    }
                }
                blockedNodes[spurNode] = true;
                spurNode = otherEnd(previous[j], spurNode);
            }
            if (candidates.isEmpty()) {
                break;
            }
            found.add(candidates.pollFirst());
        }
        return found.toArray(int[][]::new);
    }

    /** Breadth-first: the fewest links from source to target, through switches only, avoiding what is blocked. */
    private int[] shortest(int source, int target, boolean[] blockedNodes, boolean[] blockedLinks) {
        int[] via = new int[nodeNames.length];
        Arrays.fill(via, -1);
        boolean[] seen = blockedNodes.clone();
        seen[source] = true;
        ArrayDeque<Integer> queue = new ArrayDeque<>();
        queue.add(source);
        while (!queue.isEmpty()) {
            int node = queue.poll();
            if (node == target) {
                break;
            }
            if (node != source && isHost(node)) {
                continue;
            }
            for (int link : linksAt[node]) {
                int next = otherEnd(link, node);
                if (!blockedLinks[link] && !seen[next]) {
                    seen[next] = true;
                    via[next] = link;
                    queue.add(next);
                }
            }
        }
        if (via[target] < 0) {
            return null;
        }
        List<Integer> reversed = new ArrayList<>();
        for (int node = target; node != source; node = otherEnd(via[node], node)) {
            reversed.add(via[node]);
        }
        int[] path = new int[reversed.size()];
        for (int i = 0; i < path.length; i++) {
            path[i] = reversed.get(path.length - 1 - i);
        }
        return path;
    }
}
