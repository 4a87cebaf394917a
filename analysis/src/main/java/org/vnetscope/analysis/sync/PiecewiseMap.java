package org.vnetscope.analysis.sync;

import java.util.ArrayList;
import java.util.List;

/**
 * A clock relation made of linear pieces, one per segment the fit found (the relation changed between them),
 * each valid from its start to the next one's. A time between two segments' packets belongs to the nearer one; the
 * first piece reaches back and the last one forward without end.
 */
final class PiecewiseMap {

    /**
     * @param fromNs           where the piece starts on the input clock ({@link Long#MIN_VALUE} for the first)
     * @param map              the relation there
     * @param accuracyNs       how far off the output can be at the piece's anchor; -1 when unbounded
     * @param accuracyAtEndsNs how far off it can be at the piece's first and last packet; -1 when unbounded
     * @param quality          what the relation is worth
     * @param matches          the packets its segment was fitted on
     * @param firstNs          the input time of the first of those packets (or the piece's anchor without any)
     * @param lastNs           the input time of the last
     */
    record Piece(long fromNs, LinearMap map, long accuracyNs, long accuracyAtEndsNs, SyncQuality quality,
                 int matches, long firstNs, long lastNs) {
    }

    final List<Piece> pieces;

    PiecewiseMap(List<Piece> pieces) {
        this.pieces = List.copyOf(pieces);
    }

    /** One clock shifted by a constant, anchored at {@code anchorNs} (where its middle is said to be). */
    static PiecewiseMap shift(long shiftNs, long anchorNs, SyncQuality quality, long accuracyNs) {
        return new PiecewiseMap(List.of(new Piece(Long.MIN_VALUE, new LinearMap(anchorNs, shiftNs, 0, 0), accuracyNs,
                accuracyNs, quality, 0, anchorNs, anchorNs)));
    }

    /** The fit's segments, each valid up to halfway to the next one's first packet. */
    static PiecewiseMap of(List<HullFit.Segment> segments) {
        List<Piece> pieces = new ArrayList<>();
        for (int i = 0; i < segments.size(); i++) {
            HullFit.Segment segment = segments.get(i);
            long from = Long.MIN_VALUE;
            if (i > 0) {
                long previousLast = segments.get(i - 1).lastNs();
                from = previousLast + Math.max(1, (segment.firstNs() - previousLast + 1) / 2);
            }
            pieces.add(new Piece(from, segment.map(), segment.accuracyNs(), segment.accuracyAtEndsNs(),
                    segment.quality(), segment.matches(), segment.firstNs(), segment.lastNs()));
        }
        return new PiecewiseMap(pieces);
    }

    int indexAt(long timeNs) {
        int low = 0;
        int high = pieces.size() - 1;
        while (low < high) {
            int middle = (low + high + 1) >>> 1;
            if (pieces.get(middle).fromNs() <= timeNs) {
                low = middle;
            } else {
                high = middle - 1;
            }
        }
        return low;
    }

    Piece pieceAt(long timeNs) {
        return pieces.get(indexAt(timeNs));
    }

    long apply(long timeNs) {
        return pieceAt(timeNs).map().apply(timeNs);
    }

    /** Where a piece ends (the next one's start), or {@link Long#MAX_VALUE} for the last. */
    long endOf(int index) {
        return index + 1 < pieces.size() ? pieces.get(index + 1).fromNs() : Long.MAX_VALUE;
    }

    private static long image(LinearMap map, long timeNs) {
        return timeNs == Long.MIN_VALUE || timeNs == Long.MAX_VALUE ? timeNs : map.apply(timeNs);
    }

    /** The relation the other way: each piece inverted, its start carried over. */
    PiecewiseMap inverse() {
        List<Piece> inverted = new ArrayList<>();
        long previous = Long.MIN_VALUE;
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            long from = i == 0 ? Long.MIN_VALUE : Math.max(previous + 1, image(piece.map(), piece.fromNs()));
            previous = from;
            inverted.add(new Piece(from, piece.map().inverse(), piece.accuracyNs(), piece.accuracyAtEndsNs(),
                    piece.quality(), piece.matches(), piece.map().apply(piece.firstNs()),
                    piece.map().apply(piece.lastNs())));
        }
        return new PiecewiseMap(inverted);
    }

    /** {@code outer} after this relation: from this one's input clock to {@code outer}'s output clock. */
    PiecewiseMap then(PiecewiseMap outer) {
        List<Piece> composed = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i++) {
            Piece piece = pieces.get(i);
            long end = endOf(i);
            long imageStart = image(piece.map(), piece.fromNs());
            long imageEnd = image(piece.map(), end);
            LinearMap back = piece.map().inverse();
            for (int j = outer.indexAt(imageStart); j < outer.pieces.size(); j++) {
                Piece next = outer.pieces.get(j);
                if (j > outer.indexAt(imageStart) && next.fromNs() >= imageEnd) {
                    break;
                }
                long from = piece.fromNs();
                if (next.fromNs() > imageStart) {
                    from = Math.max(from, back.apply(next.fromNs()));
                }
                if (!composed.isEmpty() && from <= composed.get(composed.size() - 1).fromNs()) {
                    continue; // rounding left no room for it
                }
                composed.add(new Piece(from, next.map().after(piece.map()), sum(piece.accuracyNs(), next.accuracyNs()),
                        sum(piece.accuracyAtEndsNs(), next.accuracyAtEndsNs()),
                        SyncQuality.worse(piece.quality(), next.quality()), piece.matches(), piece.firstNs(),
                        piece.lastNs()));
            }
        }
        return new PiecewiseMap(composed);
    }

    private static long sum(long a, long b) {
        return a < 0 || b < 0 ? -1 : a + b;
    }
}
