package konomi.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import konomi.api.KonomiException;

/** Trainer options with their defaults; unknown keys and bad values are one-line errors. */
record Options(int epochs, int batch, int size, double lr, String schedule, double weightDecay, long seed, double val,
               double test, int patience, String groups, Augment augment, boolean resume, String metric, int workers,
               String init, boolean freeze, int checkpointEvery) {

    static final Map<String, String> DEFAULTS = new LinkedHashMap<>();
    static {
        DEFAULTS.put("epochs", "30");
        DEFAULTS.put("batch", "64");
        DEFAULTS.put("size", "96");
        DEFAULTS.put("lr", "0.002");
        DEFAULTS.put("schedule", "cosine");
        DEFAULTS.put("weightDecay", "0.0001");
        DEFAULTS.put("seed", "42");
        DEFAULTS.put("val", "0.15");
        DEFAULTS.put("test", "0.15");
        DEFAULTS.put("patience", "8");
        DEFAULTS.put("groups", "");
        DEFAULTS.put("augment", "true");
        DEFAULTS.put("resume", "true");
        DEFAULTS.put("metric", "");
        DEFAULTS.put("workers", "2");
        DEFAULTS.put("init", "");
        DEFAULTS.put("freeze", "false");
        DEFAULTS.put("checkpointEvery", "0");
    }
    static final Set<String> SCHEDULES = Set.of("cosine", "step", "onecycle", "constant");

    static Options parse(Map<String, String> given) {
        for (String k : given.keySet()) {
            if (!DEFAULTS.containsKey(k)) {
                throw new KonomiException("unknown trainer option '" + k + "'; known: " + String.join(", ", DEFAULTS.keySet()));
            }
        }
        Map<String, String> o = new LinkedHashMap<>(DEFAULTS);
        o.putAll(given);
        Options r = new Options(i(o, "epochs", 1, 10_000), i(o, "batch", 1, 4096), i(o, "size", 16, 512), d(o, "lr", 1e-7, 10),
                o.get("schedule"), d(o, "weightDecay", 0, 1), (long) d(o, "seed", Long.MIN_VALUE, Long.MAX_VALUE),
                d(o, "val", 0.01, 0.5), d(o, "test", 0, 0.5), i(o, "patience", 1, 10_000), o.get("groups"),
                Augment.parse(o.get("augment")), Boolean.parseBoolean(o.get("resume")), o.get("metric"), i(o, "workers", 1, 64),
                o.get("init"), Boolean.parseBoolean(o.get("freeze")), i(o, "checkpointEvery", 0, 10_000));
        if (!SCHEDULES.contains(r.schedule)) {
            throw new KonomiException("schedule must be one of " + SCHEDULES + ", not '" + r.schedule + "'");
        }
        return r;
    }

    private static int i(Map<String, String> o, String k, int min, int max) {
        return (int) d(o, k, min, max);
    }

    private static double d(Map<String, String> o, String k, double min, double max) {
        double v;
        try {
            v = Double.parseDouble(o.get(k).trim());
        } catch (NumberFormatException e) {
            throw new KonomiException("trainer option " + k + " is not a number: '" + o.get(k) + "'");
        }
        if (v < min || v > max) {
            throw new KonomiException("trainer option " + k + " must be between " + min + " and " + max + ", not " + v);
        }
        return v;
    }

    /** Which augmentations run: {@code true} (all), {@code false}/{@code none}, or a list such as {@code crop,flip}. */
    record Augment(boolean crop, boolean flip, boolean jitter) {
        static final Augment NONE = new Augment(false, false, false);

        static Augment parse(String v) {
            String s = v.trim().toLowerCase(java.util.Locale.ROOT);
            if (s.equals("true") || s.equals("all")) {
                return new Augment(true, true, true);
            }
            if (s.equals("false") || s.equals("none") || s.isEmpty()) {
                return NONE;
            }
            boolean crop = false, flip = false, jitter = false;
            for (String t : s.split(",")) {
                switch (t.trim()) {
                    case "crop" -> crop = true;
                    case "flip" -> flip = true;
                    case "jitter" -> jitter = true;
                    default -> throw new KonomiException("augment takes crop, flip, jitter, all or none, not '" + t.trim() + "'");
                }
            }
            return new Augment(crop, flip, jitter);
        }
    }

    /** Learning rate of an epoch (0-based) under the schedule. */
    double learningRate(int epoch) {
        return switch (schedule) {
            case "cosine" -> lr * 0.5 * (1 + Math.cos(Math.PI * epoch / Math.max(1, epochs)));
            case "step" -> lr * Math.pow(0.1, epoch / Math.max(1, epochs / 3));
            // one-cycle: linear warm-up from lr/25 over the first 30% of epochs, then cosine down to ~0
            case "onecycle" -> {
                double warm = Math.max(1, 0.3 * epochs);
                yield epoch < warm ? lr / 25 + (lr - lr / 25) * epoch / warm
                        : lr * 0.5 * (1 + Math.cos(Math.PI * (epoch - warm) / Math.max(1, epochs - warm)));
            }
            default -> lr;
        };
    }
}
