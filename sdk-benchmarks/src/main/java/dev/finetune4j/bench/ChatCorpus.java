package dev.finetune4j.bench;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.finetune4j.dataset.Example;
import dev.finetune4j.dataset.Message;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates realistic chat fine-tuning data deterministically: a system, a user and an assistant
 * message per example, about 800 bytes a JSONL line, in a mix of English, German, French, Spanish,
 * Chinese, Japanese and Russian. A file also has about 1 % exact duplicates of earlier lines and a
 * few invalid lines (every 5,000th: broken JSON, no assistant message, an unknown role, non-string
 * content in turn), as real exports do.
 *
 * <p>Everything is a pure function of {@code (seed, index)}, so the same arguments always give
 * the same bytes and nothing is kept in memory while writing. Thread-safe (stateless).
 */
public final class ChatCorpus {

    /** What {@link #write} produced. */
    public record Stats(long lines, long bytes, long duplicates, long invalid) {
        /** Mean bytes a line, newline included. */
        public double bytesPerLine() {
            return lines == 0 ? 0 : (double) bytes / lines;
        }
    }

    private static final int DUPLICATE_PER_10K = 100;
    private static final int INVALID_EVERY = 5_000;
    private static final JsonFactory JSON = new JsonFactory();

    private enum Kind { NORMAL, DUPLICATE, INVALID }

    private ChatCorpus() {}

    /**
     * Writes {@code examples} lines of chat JSONL to {@code file} (replacing it).
     *
     * @throws UncheckedIOException when the file cannot be written
     */
    public static Stats write(Path file, int examples, long seed) {
        long duplicates = 0;
        long invalid = 0;
        try (CountingOutputStream counted = new CountingOutputStream(
                new BufferedOutputStream(Files.newOutputStream(file), 1 << 16))) {
            for (long i = 0; i < examples; i++) {
                Kind kind = kind(seed, i);
                switch (kind) {
                    case NORMAL -> writeLine(counted, conversation(seed, i));
                    case DUPLICATE -> {
                        writeLine(counted, conversation(seed, earlierNormal(seed, i)));
                        duplicates++;
                    }
                    case INVALID -> {
                        counted.write(invalidLine(seed, i).getBytes(StandardCharsets.UTF_8));
                        invalid++;
                    }
                    default -> throw new AssertionError(kind);
                }
                counted.write('\n');
            }
            counted.flush();
            return new Stats(examples, counted.count, duplicates, invalid);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A valid example that no file written with a different {@code seed} contains (with
     * overwhelming probability), built through the public API.
     */
    public static Example example(long seed, long index) {
        Conversation c = conversation(seed, index);
        return Example.of(Message.system(c.system), Message.user(c.user), Message.assistant(c.assistant));
    }

    /** {@code count} examples from {@link #example} with indexes {@code first, first + 1, ...}. */
    public static List<Example> examples(long seed, long first, int count) {
        Example[] out = new Example[count];
        for (int i = 0; i < count; i++) {
            out[i] = example(seed, first + i);
        }
        return List.of(out);
    }

    private record Conversation(String system, String user, String assistant) {}

    private static Kind kind(long seed, long i) {
        if (i % INVALID_EVERY == INVALID_EVERY - 1) {
            return Kind.INVALID;
        }
        int roll = new SplittableRandom(mix(seed, i) ^ 0x5DEECE66DL).nextInt(10_000);
        return i >= 100 && roll < DUPLICATE_PER_10K ? Kind.DUPLICATE : Kind.NORMAL;
    }

    /** A normal line before {@code i}, so a duplicate always repeats a line that was written. */
    private static long earlierNormal(long seed, long i) {
        SplittableRandom r = new SplittableRandom(mix(seed, i) ^ 0x9E3779B97F4A7C15L);
        while (true) {
            long j = r.nextLong(i);
            if (kind(seed, j) == Kind.NORMAL) {
                return j;
            }
        }
    }

    private static Conversation conversation(long seed, long i) {
        SplittableRandom r = new SplittableRandom(mix(seed, i));
        Language lang = Language.pick(r.nextInt(100));
        // Byte budgets chosen so a line averages about 800 bytes with its JSON framing.
        String system = lang.text(r, lang.system, 70 + r.nextInt(100), false);
        // User and assistant texts open with a sentence holding a number (an order, a ticket), so
        // conversations differ even where the sentence pools are small.
        String user = lang.text(r, lang.user, 90 + r.nextInt(140), true);
        String assistant = lang.text(r, lang.assistant, 165 + r.nextInt(230), true);
        return new Conversation(system, user, assistant);
    }

    private static void writeLine(OutputStream out, Conversation c) throws IOException {
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeArrayFieldStart("messages");
        message(g, "system", c.system);
        message(g, "user", c.user);
        message(g, "assistant", c.assistant);
        g.writeEndArray();
        g.writeEndObject();
        g.close();
    }

    private static void message(JsonGenerator g, String role, String content) throws IOException {
        g.writeStartObject();
        g.writeStringField("role", role);
        g.writeStringField("content", content);
        g.writeEndObject();
    }

    private static String invalidLine(long seed, long i) {
        Conversation c = conversation(seed, i);
        return switch ((int) (i / INVALID_EVERY % 4)) {
            case 0 -> "{\"messages\":[{\"role\":\"user\",\"content\":\"" + c.user.substring(0, 20).replace("\"", "")
                    + "\"},{\"role\":\"assistant\",\"content\":";
            case 1 -> "{\"messages\":[{\"role\":\"system\",\"content\":\"x\"},{\"role\":\"user\",\"content\":\"y\"}]}";
            case 2 -> "{\"messages\":[{\"role\":\"bot\",\"content\":\"hi\"},{\"role\":\"assistant\",\"content\":\"hi\"}]}";
            default -> "{\"messages\":[{\"role\":\"user\",\"content\":42},{\"role\":\"assistant\",\"content\":\"ok\"}]}";
        };
    }

    private static long mix(long seed, long i) {
        long x = seed * 0x9E3779B97F4A7C15L + i;
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    /** Sentence pools of one language; {@code {n}} is replaced by a random number. */
    private enum Language {
        EN(50,
                new String[] {
                    "You are the support assistant of Northwind Outfitters, an online shop for outdoor gear.",
                    "Answer politely and briefly, and never promise refunds that the policy does not allow.",
                    "If the customer gives an order number, look it up before answering.",
                    "Use metric units and prices in euros unless the customer asks otherwise.",
                    "Escalate to a human agent when the customer is angry or mentions a lawyer.",
                    "You speak in a warm, professional tone and keep answers under 120 words.",
                },
                new String[] {
                    "Hi, I ordered a tent last week (order {n}) and it still hasn't arrived.",
                    "Can I return hiking boots that I have already worn once outside?",
                    "What is the difference between the 35 L and the 45 L backpack?",
                    "My jacket's zipper broke after {n} days, is that covered by the warranty?",
                    "Do you ship to Norway, and how long does it usually take?",
                    "I was charged twice for order {n}, can you check that please?",
                    "Is the sleeping bag warm enough for -{n} degrees at night?",
                    "How do I change the delivery address on an order that has already shipped?",
                },
                new String[] {
                    "Thanks for reaching out! I've checked order {n}: it left our warehouse on Monday and is now with the carrier.",
                    "You should receive it within 2 to 3 working days; the tracking link is in your confirmation email.",
                    "Worn items can be returned within 30 days if they are clean and undamaged, so that should be fine.",
                    "The 45 L model has a detachable lid and a stronger hip belt, which helps on multi-day trips.",
                    "Zippers are covered by our two-year warranty, so we will replace the jacket free of charge.",
                    "I'm sorry about the double charge. I can see a second authorisation of {n}.90 EUR, which will be released automatically.",
                    "For nights around that temperature I would recommend the comfort rating rather than the limit rating.",
                    "Once a parcel has shipped, the address can only be changed through the carrier's website.",
                    "Is there anything else I can help you with today?",
                    "I've opened ticket {n} for you, and a colleague will follow up by email within 24 hours.",
                }),
        DE(10,
                new String[] {
                    "Du bist der Kundenservice-Assistent von Bergwerk Sport, einem Onlineshop für Outdoor-Ausrüstung.",
                    "Antworte höflich und knapp und versprich keine Erstattungen, die die Richtlinien nicht erlauben.",
                    "Wenn eine Bestellnummer genannt wird, prüfe sie, bevor du antwortest.",
                    "Verwende metrische Einheiten und Preise in Euro.",
                },
                new String[] {
                    "Hallo, meine Bestellung {n} ist nach einer Woche immer noch nicht angekommen.",
                    "Kann ich Wanderschuhe zurückgeben, die ich schon einmal draußen getragen habe?",
                    "Mir wurde die Bestellung {n} zweimal abgebucht, können Sie das prüfen?",
                    "Ist der Schlafsack für Nächte mit -{n} Grad geeignet?",
                    "Wie ändere ich die Lieferadresse, wenn das Paket schon verschickt wurde?",
                },
                new String[] {
                    "Vielen Dank für Ihre Nachricht! Ich habe Bestellung {n} geprüft: Sie hat unser Lager am Montag verlassen.",
                    "Sie sollten das Paket innerhalb von zwei bis drei Werktagen erhalten; den Sendungslink finden Sie in der Bestätigungs-E-Mail.",
                    "Getragene Artikel können innerhalb von 30 Tagen zurückgegeben werden, wenn sie sauber und unbeschädigt sind.",
                    "Die doppelte Abbuchung von {n},90 EUR ist nur eine Vormerkung und wird automatisch freigegeben.",
                    "Reißverschlüsse sind von unserer zweijährigen Garantie abgedeckt, wir ersetzen die Jacke kostenlos.",
                    "Kann ich Ihnen sonst noch weiterhelfen?",
                }),
        FR(10,
                new String[] {
                    "Tu es l'assistant du service client de Cimes & Sentiers, une boutique en ligne de matériel de randonnée.",
                    "Réponds poliment et brièvement, sans promettre de remboursement que la politique n'autorise pas.",
                    "Si le client donne un numéro de commande, vérifie-le avant de répondre.",
                },
                new String[] {
                    "Bonjour, ma commande {n} n'est toujours pas arrivée après une semaine.",
                    "Puis-je retourner des chaussures de randonnée que j'ai déjà portées une fois ?",
                    "On m'a débité deux fois la commande {n}, pouvez-vous vérifier ?",
                    "Le sac de couchage convient-il pour des nuits à -{n} degrés ?",
                },
                new String[] {
                    "Merci pour votre message ! J'ai vérifié la commande {n} : elle a quitté notre entrepôt lundi.",
                    "Vous devriez la recevoir sous deux à trois jours ouvrés ; le lien de suivi se trouve dans l'e-mail de confirmation.",
                    "Les articles portés peuvent être retournés sous 30 jours s'ils sont propres et en bon état.",
                    "Le double débit de {n},90 EUR est une simple pré-autorisation, qui sera libérée automatiquement.",
                    "Les fermetures éclair sont couvertes par notre garantie de deux ans : nous remplaçons la veste gratuitement.",
                    "Puis-je vous aider pour autre chose ?",
                }),
        ES(10,
                new String[] {
                    "Eres el asistente de atención al cliente de Cumbre Norte, una tienda en línea de material de montaña.",
                    "Responde con amabilidad y brevedad, y no prometas reembolsos que la política no permita.",
                    "Si el cliente da un número de pedido, compruébalo antes de responder.",
                },
                new String[] {
                    "Hola, mi pedido {n} todavía no ha llegado después de una semana.",
                    "¿Puedo devolver unas botas de montaña que ya usé una vez al aire libre?",
                    "Me cobraron dos veces el pedido {n}, ¿pueden revisarlo?",
                    "¿El saco de dormir sirve para noches a -{n} grados?",
                },
                new String[] {
                    "¡Gracias por escribirnos! He revisado el pedido {n}: salió de nuestro almacén el lunes.",
                    "Debería recibirlo en dos o tres días laborables; el enlace de seguimiento está en el correo de confirmación.",
                    "Los artículos usados se pueden devolver en 30 días si están limpios y sin daños.",
                    "El doble cargo de {n},90 EUR es solo una preautorización y se liberará automáticamente.",
                    "Las cremalleras están cubiertas por nuestra garantía de dos años, así que cambiaremos la chaqueta sin coste.",
                    "¿Puedo ayudarle con algo más?",
                }),
        ZH(8,
                new String[] {
                    "你是北风户外的客服助手，这是一家销售户外装备的网店。",
                    "请礼貌、简洁地回答，不要承诺政策不允许的退款。",
                    "如果客户提供了订单号，请先查询再回答。",
                },
                new String[] {
                    "你好，我上周订的帐篷（订单{n}）还没有到。",
                    "已经在户外穿过一次的登山鞋可以退货吗？",
                    "订单{n}被扣了两次款，能帮我查一下吗？",
                    "这个睡袋适合零下{n}度的夜晚吗？",
                },
                new String[] {
                    "感谢您的咨询！我查了订单{n}：它已于周一从仓库发出，目前在快递途中。",
                    "您应该会在两到三个工作日内收到，物流链接在确认邮件里。",
                    "穿过的商品只要干净无损，三十天内都可以退货。",
                    "重复扣款{n}.90欧元只是预授权，会自动释放。",
                    "拉链属于两年保修范围，我们会免费为您更换外套。",
                    "请问还有什么可以帮您的吗？",
                }),
        JA(6,
                new String[] {
                    "あなたはアウトドア用品のオンラインショップ「北風アウトフィッターズ」のサポート担当です。",
                    "丁寧かつ簡潔に答え、規定で認められていない返金は約束しないでください。",
                    "注文番号が示された場合は、回答の前に確認してください。",
                },
                new String[] {
                    "先週注文したテント（注文番号{n}）がまだ届きません。",
                    "一度外で履いた登山靴は返品できますか？",
                    "注文{n}が二重に請求されています。確認してもらえますか？",
                    "この寝袋はマイナス{n}度の夜でも使えますか？",
                },
                new String[] {
                    "お問い合わせありがとうございます。注文{n}を確認したところ、月曜日に倉庫から発送されています。",
                    "二、三営業日以内にお届けの予定です。追跡リンクは確認メールに記載されています。",
                    "着用済みの商品も、汚れや破損がなければ三十日以内に返品できます。",
                    "二重請求の{n}.90ユーロは仮売上で、自動的に取り消されます。",
                    "ファスナーは二年保証の対象ですので、ジャケットを無償で交換いたします。",
                    "ほかにお手伝いできることはありますか？",
                }),
        RU(6,
                new String[] {
                    "Ты помощник службы поддержки интернет-магазина туристического снаряжения «Северный ветер».",
                    "Отвечай вежливо и кратко и не обещай возвратов, которые не допускает политика магазина.",
                    "Если клиент называет номер заказа, проверь его перед ответом.",
                },
                new String[] {
                    "Здравствуйте, мой заказ {n} так и не пришёл за неделю.",
                    "Можно ли вернуть треккинговые ботинки, которые я один раз надевал на улицу?",
                    "С меня дважды списали деньги за заказ {n}, проверьте, пожалуйста.",
                    "Подойдёт ли спальник для ночей при минус {n} градусах?",
                },
                new String[] {
                    "Спасибо за обращение! Я проверил заказ {n}: он покинул наш склад в понедельник.",
                    "Вы должны получить его в течение двух-трёх рабочих дней; ссылка для отслеживания есть в письме с подтверждением.",
                    "Ношеные товары можно вернуть в течение 30 дней, если они чистые и без повреждений.",
                    "Двойное списание {n},90 EUR — это лишь предварительная авторизация, она снимется автоматически.",
                    "Молнии покрываются нашей двухлетней гарантией, поэтому мы бесплатно заменим куртку.",
                    "Могу ли я помочь чем-нибудь ещё?",
                });

        private static final Language[] BY_PERCENT = new Language[100];

        static {
            int at = 0;
            for (Language l : values()) {
                for (int k = 0; k < l.percent; k++) {
                    BY_PERCENT[at++] = l;
                }
            }
            if (at != 100) {
                throw new AssertionError("language shares add up to " + at + " %, not 100 %");
            }
        }

        private final int percent;
        private final String[] system;
        private final String[] user;
        private final String[] assistant;
        private final boolean spaced;

        Language(int percent, String[] system, String[] user, String[] assistant) {
            this.percent = percent;
            this.system = system;
            this.user = user;
            this.assistant = assistant;
            this.spaced = !name().equals("ZH") && !name().equals("JA");
        }

        static Language pick(int percentile) {
            return BY_PERCENT[percentile];
        }

        /**
         * Sentences from {@code pool} until the text has at least {@code minBytes} UTF-8 bytes;
         * with {@code numbered}, the first sentence is one that holds a number.
         */
        String text(SplittableRandom r, String[] pool, int minBytes, boolean numbered) {
            StringBuilder sb = new StringBuilder(minBytes);
            int bytes = 0;
            while (bytes < minBytes) {
                if (sb.length() > 0 && spaced) {
                    sb.append(' ');
                    bytes++;
                }
                String s = pool[r.nextInt(pool.length)];
                while (sb.length() == 0 && numbered && !s.contains("{n}")) {
                    s = pool[r.nextInt(pool.length)];
                }
                int hole = s.indexOf("{n}");
                String sentence = hole < 0 ? s
                        : s.substring(0, hole) + (10_000 + r.nextInt(99_990_000)) + s.substring(hole + 3);
                sb.append(sentence);
                bytes += utf8Length(sentence);
            }
            return sb.toString();
        }

        private static int utf8Length(String s) {
            int n = 0;
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
            }
            return n;
        }
    }
}
