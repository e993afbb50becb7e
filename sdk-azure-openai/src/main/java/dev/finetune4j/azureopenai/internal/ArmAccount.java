package dev.finetune4j.azureopenai.internal;

import dev.finetune4j.spi.kit.ApiRequest;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The Azure OpenAI (Cognitive Services) account whose deployments Azure Resource Manager manages:
 * subscription id, resource group and account (resource) name, as they appear in {@code
 * /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{account}}.
 *
 * @param subscriptionId the subscription id (a GUID in Azure; any non-blank text here)
 * @param resourceGroup the resource group: 1 to 90 letters, digits, {@code . _ - ( )}, not ending in {@code .}
 * @param accountName the account name: 2 to 64 letters, digits and {@code -}, starting with a letter or digit
 */
public record ArmAccount(String subscriptionId, String resourceGroup, String accountName) {

    private static final Pattern RESOURCE_GROUP = Pattern.compile("[-\\w._()]{0,89}[-\\w_()]");
    private static final Pattern ACCOUNT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9-]{1,63}");

    /**
     * @throws IllegalArgumentException naming the part that Azure would not take, and its rule
     */
    public ArmAccount {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(resourceGroup, "resourceGroup");
        Objects.requireNonNull(accountName, "accountName");
        if (subscriptionId.isBlank() || !subscriptionId.equals(subscriptionId.strip())) {
            throw new IllegalArgumentException("azure subscription id '" + subscriptionId + "' must be non-blank, "
                    + "without spaces around it (a GUID such as 00000000-0000-0000-0000-000000000000)");
        }
        if (!RESOURCE_GROUP.matcher(resourceGroup).matches()) {
            throw new IllegalArgumentException("azure resource group '" + resourceGroup + "' must be 1 to 90 "
                    + "letters, digits, '.', '_', '-', '(' and ')', not ending in '.'");
        }
        if (!ACCOUNT.matcher(accountName).matches()) {
            throw new IllegalArgumentException("azure account name '" + accountName + "' must be 2 to 64 letters, "
                    + "digits and '-', starting with a letter or digit (the NAME of https://NAME.openai.azure.com)");
        }
    }

    /** The account's ARM path, each part percent-encoded. */
    public String path() {
        return "/subscriptions/" + ApiRequest.segment(subscriptionId) + "/resourceGroups/"
                + ApiRequest.segment(resourceGroup) + "/providers/Microsoft.CognitiveServices/accounts/"
                + ApiRequest.segment(accountName);
    }
}
