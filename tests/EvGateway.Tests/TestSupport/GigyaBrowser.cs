using System.Net;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Renault;

namespace EvGateway.Tests.TestSupport;

/// <summary>
/// One device speaking to the simulated Gigya the way a browser does: its own cookie jar, so the gmid/ucid of
/// webSdkBootstrap come back on every later call. Logs in as <see cref="RenaultCloud.DemoTwoFactorUsername"/>.
/// </summary>
internal sealed class GigyaBrowser(RenaultCloud cloud) : IDisposable
{
    public const string Username = RenaultCloud.DemoTwoFactorUsername;
    public const string Password = RenaultCloud.DemoPassword;

    private readonly HttpClient http = new(new HttpClientHandler { CookieContainer = new CookieContainer() });

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async Task<(HttpStatusCode Status, JsonObject Body)> CallAsync(string method, params (string Name, string Value)[] fields)
    {
        using var form = new FormUrlEncodedContent(
            fields.Prepend(("ApiKey", RenaultCloud.DefaultGigyaApiKey)).Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
        using var response = await http.PostAsync(new Uri(cloud.GigyaUrl + "/" + method), form, Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!.AsObject());
    }

    public async Task<JsonObject> GetAsync(string method, params (string Name, string Value)[] query)
    {
        var uri = cloud.GigyaUrl + "/" + method + "?" + string.Join('&', query.Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value)));
        var body = JsonNode.Parse(await http.GetStringAsync(new Uri(uri), Ct))!.AsObject();
        Assert.Equal(0, (int)body["errorCode"]!);
        return body;
    }

    public async Task<JsonObject> SucceedAsync(string method, params (string Name, string Value)[] fields)
    {
        var (status, body) = await CallAsync(method, fields);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, (int)body["errorCode"]!);
        return body;
    }

    public async Task BootstrapAsync() => await SucceedAsync("accounts.webSdkBootstrap");

    /// <summary>accounts.login with this device's cookies.</summary>
    public async Task<JsonObject> LoginAsync(string username = Username) =>
        (await CallAsync("accounts.login", ("loginID", username), ("password", Password))).Body;

    public async Task<string> PendingLoginAsync()
    {
        var login = await LoginAsync();
        Assert.Equal(403101, (int)login["errorCode"]!);
        return (string)login["regToken"]!;
    }

    /// <summary>Walks a pending login up to the e-mailed code; <paramref name="regToken"/> null = log in first.</summary>
    public async Task<GigyaCodeCheck> CodeSentAsync(string? regToken = null)
    {
        regToken ??= await PendingLoginAsync();
        await BootstrapAsync();
        var init = await SucceedAsync("accounts.tfa.initTFA", ("regToken", regToken), ("provider", "gigyaEmail"), ("mode", "verify"));
        var assertion = (string)init["gigyaAssertion"]!;
        var emails = await SucceedAsync("accounts.tfa.email.getEmails", ("gigyaAssertion", assertion));
        var emailId = (string)emails["emails"]![0]!["id"]!;
        var sent = await SucceedAsync("accounts.tfa.email.sendVerificationCode", ("gigyaAssertion", assertion), ("emailID", emailId));
        return new GigyaCodeCheck(regToken, assertion, emailId, (string)sent["phvToken"]!, cloud.SentEmails()[^1].Code);
    }

    /// <summary>Enters the right code and finishes the check; <paramref name="tempDevice"/> false = remember this device.</summary>
    public async Task FinishAsync(GigyaCodeCheck check, bool tempDevice)
    {
        var verified = await SucceedAsync("accounts.tfa.email.completeVerification", ("gigyaAssertion", check.Assertion),
            ("phvToken", check.PhvToken), ("code", check.Code));
        await SucceedAsync("accounts.tfa.finalizeTFA", ("gigyaAssertion", check.Assertion),
            ("providerAssertion", (string)verified["providerAssertion"]!), ("regToken", check.RegToken),
            ("tempDevice", tempDevice ? "true" : "false"));
    }

    /// <summary>A code different from <paramref name="code"/>, for a wrong try.</summary>
    public static string OtherCode(string code) =>
        ((code[0] - '0' + 1) % 10).ToString(System.Globalization.CultureInfo.InvariantCulture) + code[1..];

    public void Dispose() => http.Dispose();
}

/// <summary>Where a device's code check stands once the code went out.</summary>
internal sealed record GigyaCodeCheck(string RegToken, string Assertion, string EmailId, string PhvToken, string Code);
