package dev.finetune4j.huggingface.internal;

import dev.finetune4j.job.MetricPoint;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the metrics in the log lines of a transformers / TRL trainer. The trainer prints each log
 * as a Python dict, with floats either bare ({@code {'loss': 1.234, 'epoch': 0.5}}, older
 * transformers) or as quoted strings ({@code {'loss': '1.234', 'epoch': '0.5'}}, transformers
 * formats them with {@code .4g}):
 *
 * <ul>
 *   <li>a training log ({@code loss}, {@code grad_norm}, {@code learning_rate}, {@code
 *       mean_token_accuracy}, {@code epoch}, …) starts a {@link MetricPoint}, its step being the
 *       dict's {@code step} when present, else the count of training logs so far;
 *   <li>an evaluation log ({@code eval_loss}, {@code eval_mean_token_accuracy}, …) is merged into
 *       the latest point, as {@code valid_loss}, {@code valid_mean_token_accuracy}, …;
 *   <li>the end-of-training summary ({@code train_runtime}, {@code train_loss} = the mean loss of
 *       the run) adds {@code train_loss_average} and {@code train_runtime} to the latest point.
 * </ul>
 *
 * Names: {@code loss} becomes {@code train_loss}, {@code mean_token_accuracy} {@code
 * train_mean_token_accuracy}, {@code entropy} {@code train_entropy}, {@code eval_*} {@code
 * valid_*}; {@code grad_norm}, {@code learning_rate}, {@code num_tokens} and {@code epoch} keep
 * theirs; throughput figures ({@code *_per_second}, {@code eval_runtime}) and values that are not
 * finite numbers are dropped. Several dicts on one line (progress bars joined by carriage returns)
 * are all read. Stateless, except {@link Collector}.
 */
public final class TrainerLogs {

    private static final Set<String> DROPPED = Set.of("total_flos", "eval_runtime", "step");

    private TrainerLogs() {}

    /** What one trainer dict is. */
    enum Kind { TRAIN, EVAL, SUMMARY }

    /**
     * One trainer dict, its metrics renamed.
     *
     * @param kind what it logs
     * @param step the {@code step} it carries, or -1
     * @param values the renamed metrics
     */
    record Log(Kind kind, long step, Map<String, Double> values) {}

    /** The trainer dicts of one line, in order; other dicts and text are ignored. */
    static List<Log> logs(String line) {
        List<Log> out = new ArrayList<>();
        int from = 0;
        while (true) {
            int open = line.indexOf('{', from);
            if (open < 0) {
                return out;
            }
            PyDict parsed = PyDict.parse(line, open);
            if (parsed == null) {
                from = open + 1;
                continue;
            }
            from = parsed.end;
            Log log = classify(parsed.values);
            if (log != null) {
                out.add(log);
            }
        }
    }

    /** The renamed metrics of one line (several dicts merged), empty when it logs none. */
    public static Map<String, Double> metrics(String line) {
        Map<String, Double> all = new LinkedHashMap<>();
        for (Log l : logs(line)) {
            all.putAll(l.values());
        }
        return all;
    }

    private static Log classify(Map<String, Double> raw) {
        boolean summary = raw.containsKey("train_runtime");
        boolean eval = raw.keySet().stream().anyMatch(k -> k.startsWith("eval_"));
        boolean train = raw.containsKey("loss");
        if (!summary && !eval && !train) {
            return null;
        }
        Kind kind = summary ? Kind.SUMMARY : train ? Kind.TRAIN : Kind.EVAL;
        long step = raw.containsKey("step") ? Math.round(raw.get("step")) : -1;
        Map<String, Double> values = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : raw.entrySet()) {
            String k = e.getKey();
            double v = e.getValue();
            if (!Double.isFinite(v) || DROPPED.contains(k) || k.endsWith("_per_second")) {
                continue;
            }
            String name;
            if (kind == Kind.SUMMARY) {
                name = k.equals("train_loss") ? "train_loss_average" : k;
            } else if (k.startsWith("eval_")) {
                name = "valid_" + k.substring("eval_".length());
            } else {
                name = switch (k) {
                    case "loss" -> "train_loss";
                    case "mean_token_accuracy" -> "train_mean_token_accuracy";
                    case "entropy" -> "train_entropy";
                    default -> k;
                };
            }
            values.put(name, v);
        }
        return new Log(kind, step, values);
    }

    /**
     * Builds metric points from log lines fed in order. Not thread-safe.
     */
    public static final class Collector {
        private final List<Long> steps = new ArrayList<>();
        private final List<Map<String, Double>> points = new ArrayList<>();
        private long trainLogs;

        /** Reads one log line. */
        public void accept(String line) {
            for (Log l : logs(line)) {
                if (l.kind() == Kind.TRAIN) {
                    trainLogs++;
                    steps.add(l.step() >= 0 ? l.step() : trainLogs);
                    points.add(new LinkedHashMap<>(l.values()));
                } else if (points.isEmpty()) {
                    steps.add(l.step() >= 0 ? l.step() : 0L);
                    points.add(new LinkedHashMap<>(l.values()));
                } else {
                    points.get(points.size() - 1).putAll(l.values());
                }
            }
        }

        /** The points so far, by step as logged. */
        public List<MetricPoint> points() {
            List<MetricPoint> out = new ArrayList<>();
            for (int i = 0; i < points.size(); i++) {
                out.add(new MetricPoint(steps.get(i), points.get(i)));
            }
            return out;
        }
    }

    /** A Python dict literal whose values are numbers (bare or quoted); other values are skipped. */
    private static final class PyDict {
        final Map<String, Double> values = new LinkedHashMap<>();
        final String s;
        int i;
        int end;

        private PyDict(String s, int start) {
            this.s = s;
            this.i = start;
        }

        /** The dict starting at {@code open}, or null when there is none there. */
        static PyDict parse(String s, int open) {
            PyDict d = new PyDict(s, open + 1);
            return d.read() ? d : null;
        }

        private boolean read() {
            skipSpaces();
            if (peek() == '}') {
                end = i + 1;
                return true;
            }
            while (true) {
                skipSpaces();
                String key = quoted();
                if (key == null) {
                    return false;
                }
                skipSpaces();
                if (peek() != ':') {
                    return false;
                }
                i++;
                skipSpaces();
                Double v = value();
                if (v != null) {
                    values.put(key, v);
                } else if (!skipValue()) {
                    return false;
                }
                skipSpaces();
                char c = peek();
                if (c == ',') {
                    i++;
                } else if (c == '}') {
                    end = i + 1;
                    return true;
                } else {
                    return false;
                }
            }
        }

        private Double value() {
            int start = i;
            String q = quoted();
            if (q != null) {
                Double n = number(q.strip());
                if (n == null) {
                    i = start;
                }
                return n;
            }
            int j = i;
            while (j < s.length() && "+-.0123456789eEinfatINFAT".indexOf(s.charAt(j)) >= 0) {
                j++;
            }
            Double n = j > i ? number(s.substring(i, j)) : null;
            if (n != null) {
                i = j;
            }
            return n;
        }

        /** Skips a value that is not a number ({@code None}, {@code True}, {@code tensor(…)}, a string). */
        private boolean skipValue() {
            int depth = 0;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (c == '\'' || c == '"') {
                    if (quoted() == null) {
                        return false;
                    }
                    continue;
                }
                if (c == '(' || c == '[' || c == '{') {
                    depth++;
                } else if (c == ')' || c == ']' || c == '}') {
                    if (depth == 0) {
                        return c == '}';
                    }
                    depth--;
                } else if (c == ',' && depth == 0) {
                    return true;
                }
                i++;
            }
            return false;
        }

        private static Double number(String t) {
            switch (t) {
                case "nan", "NaN" -> {
                    return Double.NaN;
                }
                case "inf", "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-inf", "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {
                    if (t.isEmpty() || !(Character.isDigit(t.charAt(t.length() - 1)) || t.endsWith("."))) {
                        return null;
                    }
                    try {
                        return Double.valueOf(t);
                    } catch (NumberFormatException e) {
                        return null;
                    }
                }
            }
        }

        private String quoted() {
            char q = peek();
            if (q != '\'' && q != '"') {
                return null;
            }
            StringBuilder sb = new StringBuilder();
            int j = i + 1;
            while (j < s.length()) {
                char c = s.charAt(j);
                if (c == '\\' && j + 1 < s.length()) {
                    sb.append(s.charAt(j + 1));
                    j += 2;
                    continue;
                }
                if (c == q) {
                    i = j + 1;
                    return sb.toString();
                }
                sb.append(c);
                j++;
            }
            return null;
        }

        private void skipSpaces() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private char peek() {
            return i < s.length() ? s.charAt(i) : '\0';
        }
    }
}
