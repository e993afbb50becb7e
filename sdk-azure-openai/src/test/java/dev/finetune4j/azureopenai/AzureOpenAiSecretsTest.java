package dev.finetune4j.azureopenai;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.put;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static dev.finetune4j.azureopenai.AzureTestSupport.KEY;
import static dev.finetune4j.azureopenai.AzureTestSupport.V1;
import static dev.finetune4j.azureopenai.AzureTestSupport.config;
import static dev.finetune4j.azureopenai.AzureTestSupport.job;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.finetune4j.AuthenticationException;
import dev.finetune4j.ProviderException;
import dev.finetune4j.azureopenai.internal.ArmAccount;
import dev.finetune4j.azureopenai.internal.ArmDeployments;
import dev.finetune4j.http.ApiKey;
import dev.finetune4j.spi.ProviderConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The key and tokens never reach a log line, an exception or {@code toString()}, even when Azure
 * echoes them. The library logs at DEBUG in this module's tests (simplelogger.properties), and the
 * log is read from the captured standard error, where slf4j-simple writes it. That neither the key
 * nor the ARM token reaches the store is checked byte by byte on a real file store by {@link
 * AzureOpenAiEndToEndTest#trainFromADatasetVersion_deploy_activate_chat_undeploy()}.
 */
class AzureOpenAiSecretsTest {

    @RegisterExtension
    static WireMockExtension wm = WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

    private static final String TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.secret-entra-token";

    private final AzureTestSupport.FakeTime time = new AzureTestSupport.FakeTime();
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private PrintStream stderr;

    @BeforeEach
    void captureTheLog() {
        wm.resetAll();
        stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(stderr);
    }

    private String logged() {
        System.err.flush();
        return log.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anEchoedKey_isRedactedInTheException_andAbsentFromTheLog() {
        wm.stubFor(post(V1 + "/fine_tuning/jobs/ftjob-1/cancel").willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":\"401\",\"message\":"
                        + "\"Access denied due to invalid subscription key " + KEY + " or wrong API endpoint.\"}}")));
        AzureOpenAiProvider azure = AzureTestSupport.provider(config(wm, time).build());

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> azure.cancelJob("ftjob-1"));

        assertThat(thrown).isInstanceOf(AuthenticationException.class);
        ProviderException e = (ProviderException) thrown;
        assertThat(e.getMessage()).contains("Access denied due to invalid subscription key ****").doesNotContain(KEY);
        assertThat(e.rawBody()).doesNotContain(KEY);
        assertThat(logged()).contains("azure-openai POST /openai/v1/fine_tuning/jobs/ftjob-1/cancel -> 401")
                .doesNotContain(KEY);
    }

    @Test
    void aToken_fromTheEnvironmentOrASupplier_neverReachesTheLogOrToString() {
        wm.stubFor(get(V1 + "/fine_tuning/jobs/ftjob-1").willReturn(okJson(job("ftjob-1", "running", ""))));
        AzureOpenAiProvider fromEnv = new AzureOpenAiProviderFactory().create(ProviderConfig.builder()
                .env(AzureTestSupport.env(Map.of("AZURE_OPENAI_ENDPOINT", wm.baseUrl(), "AZURE_OPENAI_AD_TOKEN", TOKEN)))
                .sleeper(time).clock(time).build());
        AzureOpenAiProvider fromSupplier = AzureOpenAiProviderFactory.withDataPlaneTokens(() -> ApiKey.of(TOKEN))
                .create(config(wm, time).build());

        fromEnv.getJob("ftjob-1");
        fromSupplier.getJob("ftjob-1");

        assertThat(logged()).contains("GET /openai/v1/fine_tuning/jobs/ftjob-1 -> 200").doesNotContain(TOKEN)
                .doesNotContain("secret-entra-token");
        assertThat(fromEnv + " " + fromSupplier).doesNotContain(TOKEN).doesNotContain(KEY);
    }

    @Test
    void aBadKeyInTheEnvironment_failsWithoutRepeatingIt() {
        String bad = "abc\u0007def0123456789abcdef0123456789";

        assertThatThrownBy(() -> new AzureOpenAiProviderFactory().create(ProviderConfig.builder()
                .env(AzureTestSupport.env(Map.of("AZURE_OPENAI_ENDPOINT", wm.baseUrl(), "AZURE_OPENAI_API_KEY", bad)))
                .build()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("environment variable AZURE_OPENAI_API_KEY: ")
                .hasMessageNotContaining("def0123456789abcdef");
    }

    @Test
    void anArmToken_echoedByArm_isRedactedInTheException_andAbsentFromTheLogAndToString() {
        String path = "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.CognitiveServices/accounts/acct/"
                + "deployments/d1";
        wm.stubFor(put(urlPathEqualTo(path)).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json").withBody("{\"error\":{\"code\":"
                        + "\"InvalidAuthenticationToken\",\"message\":\"The access token 'Bearer " + TOKEN
                        + "' is invalid.\"}}")));
        ArmDeployments arm = ArmDeployments.create(config(wm, time).build(), URI.create(wm.baseUrl()),
                new ArmAccount("sub", "rg", "acct"), () -> ApiKey.of(TOKEN), ArmDeployments.DEFAULT_API_VERSION);

        Throwable thrown = catchThrowable(() -> arm.deploy("d1", "gpt-4o-mini", "standard", 1));

        assertThat(thrown).isInstanceOf(AuthenticationException.class);
        assertThat(thrown.getMessage()).contains("The access token 'Bearer ****' is invalid").doesNotContain(TOKEN);
        assertThat(((ProviderException) thrown).rawBody()).doesNotContain(TOKEN);
        assertThat(logged()).contains("PUT " + path + " -> 401").doesNotContain(TOKEN);
        assertThat(arm + " " + arm.account()).doesNotContain(TOKEN);
    }
}
