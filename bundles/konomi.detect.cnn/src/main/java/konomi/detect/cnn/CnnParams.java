package konomi.detect.cnn;

import java.util.function.Function;

import konomi.api.KonomiException;
import konomi.nn.detect.DetectorMeta;

/** Threshold and NMS overlap in use: the configuration's, else the model header's. */
record CnnParams(double threshold, double nms) {

    /**
     * @param where  names the configuration in error messages (its .cfg file when it came from one)
     * @param config the configuration's values by key
     * @param model  the model's own values
     */
    static CnnParams resolve(String where, Function<String, Object> config, DetectorMeta model) {
        double threshold = number(where, "threshold", config.apply("threshold"), model.threshold());
        double nms = number(where, "nms", config.apply("nms"), model.nms());
        try {
            DetectorMeta.checkThreshold(threshold, nms);
        } catch (KonomiException e) {
            throw new KonomiException(where + ": " + e.getMessage());
        }
        return new CnnParams(threshold, nms);
    }

    private static double number(String where, String key, Object v, double dflt) {
        if (v == null || v.toString().isBlank()) {
            return dflt;
        }
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new KonomiException(where + ": " + key + " is not a number: '" + v + "'");
        }
    }
}
