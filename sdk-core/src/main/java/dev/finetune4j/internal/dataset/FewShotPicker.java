package dev.finetune4j.internal.dataset;

import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import dev.finetune4j.dataset.Role;
import dev.finetune4j.tokens.TokenCounter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Picks few-shot examples that differ from each other, deterministically and without an embedding
 * service: the candidates are the {@value #POOL} examples with the smallest ids (ids are content
 * hashes, so this is a fixed, uniform sample whatever the stored order, and memory stays bounded);
 * then, greedily, the candidate with the most distinct words first, and each next one the
 * candidate farthest (by Jaccard distance of word sets over the user and assistant texts) from
 * its nearest pick, skipping those that no longer fit the token budget. Ties go to more words, then
 * to the smaller id.
 */
public final class FewShotPicker {

    /** The most candidates considered. */
    static final int POOL = 2000;
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+");

    private FewShotPicker() {}

    private record Candidate(Example example, Set<String> words, int tokens) {}

    /** Up to {@code k} diverse examples of {@code examples} whose tokens add up to at most {@code maxTokens}. */
    public static List<Example> pick(Stream<Example> examples, int k, int maxTokens, TokenCounter counter) {
        TreeMap<String, Example> pool = new TreeMap<>();
        for (Iterator<Example> it = examples.iterator(); it.hasNext(); ) {
            Example e = it.next();
            pool.put(e.id(), e);
            if (pool.size() > POOL) {
                pool.pollLastEntry();
            }
        }
        List<Candidate> candidates = new ArrayList<>(pool.size());
        for (Map.Entry<String, Example> e : pool.entrySet()) {
            int tokens = counter.count(e.getValue());
            if (tokens <= maxTokens) {
                candidates.add(new Candidate(e.getValue(), words(e.getValue()), tokens));
            }
        }
        List<Example> picked = new ArrayList<>();
        double[] nearest = new double[candidates.size()];
        java.util.Arrays.fill(nearest, 1.0);
        boolean[] used = new boolean[candidates.size()];
        int budget = maxTokens;
        while (picked.size() < k) {
            int best = -1;
            for (int i = 0; i < candidates.size(); i++) {
                Candidate c = candidates.get(i);
                if (used[i] || c.tokens() > budget) {
                    continue;
                }
                // candidates are in id order, so a strict comparison keeps the smaller id on a tie
                if (best < 0 || nearest[i] > nearest[best]
                        || (nearest[i] == nearest[best] && c.words().size() > candidates.get(best).words().size())) {
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            used[best] = true;
            Candidate chosen = candidates.get(best);
            picked.add(chosen.example());
            budget -= chosen.tokens();
            for (int i = 0; i < candidates.size(); i++) {
                if (!used[i]) {
                    nearest[i] = Math.min(nearest[i], distance(candidates.get(i).words(), chosen.words()));
                }
            }
        }
        return picked;
    }

    private static Set<String> words(Example e) {
        Set<String> out = new HashSet<>();
        for (Message m : e.messages()) {
            if (m.role() == Role.SYSTEM || m.content().isEmpty()) {
                continue;   // the same system prompt in every example says nothing about diversity
            }
            Matcher w = WORD.matcher(m.content().get().toLowerCase(Locale.ROOT));
            while (w.find()) {
                out.add(w.group());
            }
        }
        return out;
    }

    /** 1 − |a ∩ b| / |a ∪ b|; 0 for two empty sets. */
    static double distance(Set<String> a, Set<String> b) {
        if (a.isEmpty() && b.isEmpty()) {
            return 0;
        }
        int common = 0;
        for (String w : a.size() <= b.size() ? a : b) {
            if ((a.size() <= b.size() ? b : a).contains(w)) {
                common++;
            }
        }
        return 1 - (double) common / (a.size() + b.size() - common);
    }
}
