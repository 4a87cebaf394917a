package org.vnetscope.placement;

import java.util.ArrayList;
import java.util.List;

/**
 * Orders the migrations from one placement to another so that CPU and memory stay within every host's capacity
 * after each step: at each step, of the VMs whose destination has room, the one that saves the most cross-host
 * bytes; when none has room (VMs that must swap, or a chain of full hosts), one VM goes first to a third host with
 * room, and on from there later.
 */
final class MigrationPlan {

    record Plan(List<PlacementResult.Move> moves, List<PlacementResult.Move> unordered) {
    }

    private MigrationPlan() {
    }

    static Plan between(Instance instance, int[] from, int[] to) {
        int[] now = from.clone();
        long[][] used = new long[2][instance.hosts()];
        for (int v = 0; v < now.length; v++) {
            Baselines.take(instance, used, v, now[v]);
        }
        List<PlacementResult.Move> moves = new ArrayList<>();
        boolean[] transited = new boolean[now.length];
        int budget = 3 * now.length + 3;
        while (budget-- > 0) {
            int chosen = -1;
            long chosenSaving = Long.MIN_VALUE;
            boolean pending = false;
            for (int v = 0; v < now.length; v++) {
                if (now[v] == to[v] || now[v] < 0) {
                    continue;
                }
                pending = true;
                if (Baselines.fits(instance, used, v, to[v])) {
                    long saving = saving(instance, now, v, to[v]);
                    if (saving > chosenSaving) {
                        chosen = v;
                        chosenSaving = saving;
                    }
                }
            }
            if (!pending) {
                return new Plan(List.copyOf(moves), List.of());
            }
            if (chosen >= 0) {
                moves.add(step(instance, used, now, chosen, to[chosen], false));
                continue;
            }
            if (!detour(instance, used, now, to, transited, moves)) {
                break;
            }
        }
        List<PlacementResult.Move> unordered = new ArrayList<>();
        for (int v = 0; v < now.length; v++) {
            if (now[v] >= 0 && now[v] != to[v]) {
                unordered.add(new PlacementResult.Move(instance.vmNames[v], instance.hostNames[now[v]],
                        instance.hostNames[to[v]], saving(instance, now, v, to[v]), instance.vmMemory[v], false));
            }
        }
        return new Plan(List.copyOf(moves), List.copyOf(unordered));
    }

    /** Sends a blocked VM (the smallest in memory, each at most once) to a third host with room. */
    private static boolean detour(Instance instance, long[][] used, int[] now, int[] to, boolean[] transited,
                                  List<PlacementResult.Move> moves) {
        int best = -1;
        int via = -1;
        for (int v = 0; v < now.length; v++) {
            if (now[v] == to[v] || now[v] < 0 || transited[v]) {
                continue;
            }
            for (int h = 0; h < instance.hosts(); h++) {
                if (h != now[v] && h != to[v] && Baselines.fits(instance, used, v, h)
                        && (best < 0 || instance.vmMemory[v] < instance.vmMemory[best])) {
                    best = v;
                    via = h;
                    break;
                }
            }
        }
        if (best < 0) {
            return false;
        }
        transited[best] = true;
        moves.add(step(instance, used, now, best, via, true));
        return true;
    }

    private static PlacementResult.Move step(Instance instance, long[][] used, int[] now, int v, int h,
                                             boolean transit) {
        long saving = saving(instance, now, v, h);
        PlacementResult.Move move = new PlacementResult.Move(instance.vmNames[v], instance.hostNames[now[v]],
                instance.hostNames[h], saving, instance.vmMemory[v], transit);
        used[0][now[v]] -= instance.vmCpu[v];
        used[1][now[v]] -= instance.vmMemory[v];
        Baselines.take(instance, used, v, h);
        now[v] = h;
        return move;
    }

    /** Cross-host bytes saved by moving one VM (negative when the move cuts more than it joins). */
    static long saving(Instance instance, int[] assignment, int v, int h) {
        long saving = 0;
        for (int d : instance.demandsOf[v]) {
            int other = assignment[instance.other(d, v)];
            if (other < 0) {
                continue;
            }
            boolean cutBefore = other != assignment[v];
            boolean cutAfter = other != h;
            if (cutBefore && !cutAfter) {
                saving += instance.demandBytes[d];
            } else if (!cutBefore && cutAfter) {
                saving -= instance.demandBytes[d];
            }
        }
        return saving;
    }
}
