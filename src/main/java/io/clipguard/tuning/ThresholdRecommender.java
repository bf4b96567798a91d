package io.clipguard.tuning;

import java.util.List;
import java.util.Optional;

/**
 * Picks a label's threshold from its PR curve: for a precision target, the lowest threshold (most
 * recall) whose precision holds; for a recall target, the highest threshold (most precision) whose
 * recall holds. Empty when no threshold reaches the target. Stateless.
 */
final class ThresholdRecommender {

    private ThresholdRecommender() {}

    static Optional<PrCurve.Point> recommend(PrCurve curve, Target target) {
        List<PrCurve.Point> points = curve.points();
        if (target.metric() == Target.Metric.PRECISION) {
            for (int i = points.size() - 1; i >= 0; i--) {
                PrCurve.Point point = points.get(i);
                int fired = point.truePositives() + point.falsePositives();
                if (Target.wilsonLowerBound(point.truePositives(), fired, target.z()) >= target.value()) {
                    return Optional.of(point);
                }
            }
            return Optional.empty();
        }
        for (PrCurve.Point point : points) {
            if (Target.wilsonLowerBound(point.truePositives(), curve.positives(), target.z()) >= target.value()) {
                return Optional.of(point);
            }
        }
        return Optional.empty();
    }
}
