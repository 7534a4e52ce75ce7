using Refit;

namespace EvGateway.Manufacturers.Renault;

// The e-mailed second factor of renault.md §1b. Forms are classes, not records, so no ToString prints a token or code.

internal class GigyaTwoFactorForm(string apiKey)
{
    [AliasAs("APIKey")] public string ApiKey { get; } = apiKey;
}

internal sealed class GigyaInitTfaForm(string apiKey, string regToken, GigyaDevice device) : GigyaTwoFactorForm(apiKey)
{
    [AliasAs("regToken")] public string RegToken { get; } = regToken;
    [AliasAs("provider")] public string Provider { get; } = "gigyaEmail";
    [AliasAs("mode")] public string Mode { get; } = "verify";

    // Repeated beside the cookies: one report had initTFA fail without them.
    [AliasAs("gmid")] public string Gmid { get; } = device.Gmid;
    [AliasAs("ucid")] public string Ucid { get; } = device.Ucid;
}

internal class GigyaAssertionForm(string apiKey, string gigyaAssertion) : GigyaTwoFactorForm(apiKey)
{
    [AliasAs("gigyaAssertion")] public string GigyaAssertion { get; } = gigyaAssertion;
}

internal sealed class GigyaSendCodeForm(string apiKey, string gigyaAssertion, string emailId, string language)
    : GigyaAssertionForm(apiKey, gigyaAssertion)
{
    [AliasAs("emailID")] public string EmailId { get; } = emailId;
    [AliasAs("lang")] public string Language { get; } = language;
}

internal sealed class GigyaCompleteVerificationForm(string apiKey, string gigyaAssertion, string phvToken, string code)
    : GigyaAssertionForm(apiKey, gigyaAssertion)
{
    [AliasAs("phvToken")] public string PhvToken { get; } = phvToken;
    [AliasAs("code")] public string Code { get; } = code;
}

internal sealed class GigyaFinalizeTfaForm(string apiKey, string gigyaAssertion, string providerAssertion, string regToken)
    : GigyaAssertionForm(apiKey, gigyaAssertion)
{
    [AliasAs("providerAssertion")] public string ProviderAssertion { get; } = providerAssertion;
    [AliasAs("regToken")] public string RegToken { get; } = regToken;

    /// <summary>false = the web page's "don't ask again on this device for 30 days".</summary>
    [AliasAs("tempDevice")] public string TempDevice { get; } = "false";
}

internal sealed class GigyaInitTfaResponse : GigyaResponse
{
    public string? GigyaAssertion { get; init; }
}

internal sealed class GigyaTfaEmailsResponse : GigyaResponse
{
    public IReadOnlyList<GigyaTfaEmail>? Emails { get; init; }
}

internal sealed record GigyaTfaEmail(string? Id, string? Obfuscated);

internal sealed class GigyaSendCodeResponse : GigyaResponse
{
    public string? PhvToken { get; init; }
}

internal sealed class GigyaCompleteVerificationResponse : GigyaResponse
{
    public string? ProviderAssertion { get; init; }
}

/// <summary>
/// The browser identity Gigya hands out in webSdkBootstrap: the <c>gmid</c> cookie is the device a finished code check
/// remembers for 30 days, so it is kept (and stored) with the login token and sent on every Gigya call.
/// </summary>
internal sealed class GigyaDevice(string gmid, string ucid)
{
    public string Gmid { get; } = gmid;
    public string Ucid { get; } = ucid;

    public string CookieHeader => $"gmid={Gmid}; ucid={Ucid}";

    public override string ToString() => nameof(GigyaDevice);
}
