package dev.finetune4j.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedactorTest {

    @Test
    void userInfoPasswords_areMasked_withOrWithoutAScheme() {
        Redactor r = new Redactor();

        assertThat(r.redact("jdbc:postgresql://u:SECRET@host:1/db")).isEqualTo("jdbc:postgresql://u:***@host:1/db");
        assertThat(r.redact("Caused by: java.net.UnknownHostException: u:SECRET@host"))
                .isEqualTo("Caused by: java.net.UnknownHostException: u:***@host");
        assertThat(r.redact("https://alice:p%40ss@w@proxy.example/v1")).isEqualTo("https://alice:***@proxy.example/v1");
        assertThat(r.redact("git@github.com:org/repo and user@host")).isEqualTo("git@github.com:org/repo and user@host");
    }

    @Test
    void passwordParameters_areMasked() {
        Redactor r = new Redactor();

        assertThat(r.redact("jdbc:postgresql://h/db?user=u&password=SECRET&ssl=true"))
                .isEqualTo("jdbc:postgresql://h/db?user=u&password=***&ssl=true");
        assertThat(r.redact("sslpassword=SECRET; access_token=abc PWD=x api_key=k"))
                .isEqualTo("sslpassword=***; access_token=*** PWD=*** api_key=***");
        assertThat(r.redact("max_tokens=100 tokens=3")).isEqualTo("max_tokens=100 tokens=3");
    }

    @Test
    void literalSecrets_areMaskedAsWholeWords_decodedToo() {
        Redactor r = new Redactor();
        r.secretsOf("jdbc:postgresql://h/postgres?user=postgres&password=postgres");
        r.secretsOf("jdbc:postgresql://u:S%40CRET@h/db");

        assertThat(r.redact("connecting to jdbc:postgresql://h/postgres as postgres"))
                .isEqualTo("connecting to jdbc:postgresql://h/*** as ***");
        assertThat(r.redact("bad credential S@CRET")).isEqualTo("bad credential ***");
    }

    @Test
    void stderrStream_redactsWholeLinesAndProgressFlushes() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(
                new RedactingOutputStream(sink, new Redactor()), StandardCharsets.UTF_8), true);

        new IllegalStateException("outer", new java.net.UnknownHostException("u:SECRET@host")).printStackTrace(err);
        err.print("\rprogress password=SECRET");
        err.flush();

        String text = sink.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("UnknownHostException: u:***@host", "\rprogress password=***")
                .doesNotContain("SECRET");
    }
}
