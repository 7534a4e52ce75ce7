using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Accounts;

/// <summary>
/// A new owner connects a Renault account that needs Renault's e-mailed code, through the REST API of a gateway that
/// starts with no account (so in demo mode), against a simulated Renault cloud over sockets.
/// </summary>
public class RenaultAccountApiTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>No maker account in the settings: the gateway starts in demo mode, its own adapters aimed at the test's cloud.</summary>
    internal static readonly Dictionary<string, string?> FreshGateway = new()
    {
        ["Gateway:Demo"] = null,
        ["Renault:Username"] = null,
        ["Renault:Password"] = null,
        ["Psa:RefreshToken"] = null,
        ["Psa:RemoteRefreshToken"] = null,
    };

    [Fact]
    public async Task A_two_factor_account_is_connected_with_the_emailed_code_and_ends_demo_mode_without_a_restart()
    {
        await using var app = await GatewayApp.StartAsync(FreshGateway);
        var demoCars = await VinsAsync(app);
        Assert.Contains(RenaultCloud.DemoZoePhase2Vin, demoCars);
        Assert.Equal("login_required", (await RenaultAccountAsync(app)).GetProperty("state").GetString());

        var login = await app.Client.PostAsJsonAsync("/api/accounts/renault/login",
            new { username = RenaultCloud.DemoTwoFactorUsername, password = RenaultCloud.DemoPassword, locale = "en_GB" }, Ct);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal("code_required", (await login.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());
        Assert.Empty(app.Simulator.Renault.SentEmails());
        var ready = await app.Client.GetStringAsync("/health/ready", Ct);
        Assert.Contains("account:Renault", ready);
        Assert.Contains("code_required", ready);

        var code = await app.Client.PostAsync("/api/accounts/renault/code", null, Ct);
        Assert.Equal(HttpStatusCode.Accepted, code.StatusCode);
        var sentTo = (await code.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("sentTo").GetString();
        Assert.Matches(@"^t\*+@e\*+\.local$", sentTo);
        var emailed = Assert.Single(app.Simulator.Renault.SentEmails()).Code;

        var wrong = await app.Client.PostAsJsonAsync("/api/accounts/renault/verify", new { code = WrongCode(emailed) }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal("verification_code_rejected", (await wrong.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("code").GetString());

        var right = await app.Client.PostAsJsonAsync("/api/accounts/renault/verify", new { code = emailed }, Ct);
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("connected", (await right.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("state").GetString());

        var cars = await VinsAsync(app);
        Assert.Equal([RenaultCloud.DemoTwoFactorVin], cars);
        Assert.Single(app.Simulator.Renault.SentEmails());
        // The code the owner typed is in no log line (demo mode's own simulator logs the codes it e-mails, marked simulated).
        Assert.DoesNotContain(app.Log.Lines, line => System.Text.RegularExpressions.Regex.IsMatch(line, $@"\b{emailed}\b"));
    }

    [Fact]
    public async Task After_a_restart_the_connected_account_needs_neither_a_code_nor_a_password_login()
    {
        await using var bed = await TestBed.StartAsync(new SimulatorOptions { TimeProvider = new FakeTimeProvider(DateTimeOffset.UtcNow) });
        var simulator = bed.Simulator;
        await using (var first = GatewayApp.Start(bed, FreshGateway))
        {
            await first.Client.PostAsJsonAsync("/api/accounts/renault/login",
                new { username = RenaultCloud.DemoTwoFactorUsername, password = RenaultCloud.DemoPassword }, Ct);
            await first.Client.PostAsync("/api/accounts/renault/code", null, Ct);
            var emailed = Assert.Single(simulator.Renault.SentEmails()).Code;
            Assert.Equal(HttpStatusCode.OK, (await first.Client.PostAsJsonAsync("/api/accounts/renault/verify", new { code = emailed }, Ct)).StatusCode);
        }

        var logins = simulator.Renault.CallCount("accounts.login");
        await using var second = GatewayApp.Start(bed, FreshGateway);

        Assert.Equal([RenaultCloud.DemoTwoFactorVin], await VinsAsync(second));
        Assert.Equal("connected", (await RenaultAccountAsync(second)).GetProperty("state").GetString());
        Assert.Equal(logins, simulator.Renault.CallCount("accounts.login"));
        Assert.Single(simulator.Renault.SentEmails());
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(bed.Data.File("accounts.json")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(bed.Data.File("renault-session.json")));
        }
    }

    [Fact]
    public async Task A_rejected_password_is_a_401_credentials_rejected_and_is_not_tried_again()
    {
        await using var app = await GatewayApp.StartAsync(FreshGateway);

        var login = await app.Client.PostAsJsonAsync("/api/accounts/renault/login",
            new { username = RenaultCloud.DemoUsername, password = "not-the-password" }, Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        var problem = await login.Content.ReadFromJsonAsync<JsonElement>(Ct);
        Assert.Equal("credentials_rejected", problem.GetProperty("code").GetString());
        Assert.DoesNotContain("not-the-password", problem.GetRawText());
        var logins = app.Simulator.Renault.CallCount("accounts.login");
        // Reads that list the cars (the demo's, and the refused account's) must not log in again, whatever they answer.
        await app.Client.GetAsync("/api/vehicles", Ct);
        await app.Client.GetAsync("/api/accounts", Ct);
        Assert.Equal(logins, app.Simulator.Renault.CallCount("accounts.login"));
        Assert.Equal("credentials_rejected", (await RenaultAccountAsync(app)).GetProperty("state").GetString());
    }

    [Theory]
    [InlineData("""{"password":"x"}""", "username")]
    [InlineData("""{"username":"owner@example.com"}""", "password")]
    [InlineData("""{"username":"owner@example.com","password":"x","locale":"france"}""", "locale")]
    public async Task A_login_with_a_missing_or_bad_field_is_a_400_naming_it(string body, string field)
    {
        await using var app = await GatewayApp.StartAsync(FreshGateway);

        var answer = await app.Client.PostAsync("/api/accounts/renault/login",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.True((await answer.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(0, app.Simulator.Renault.CallCount("accounts.login"));
    }

    [Fact]
    public async Task Asking_for_a_code_when_none_is_pending_is_a_409()
    {
        await using var app = await GatewayApp.StartAsync(FreshGateway);

        var code = await app.Client.PostAsync("/api/accounts/renault/code", null, Ct);

        Assert.Equal(HttpStatusCode.Conflict, code.StatusCode);
        Assert.Empty(app.Simulator.Renault.SentEmails());
    }

    internal static async Task<string[]> VinsAsync(GatewayApp app) =>
        (await app.Client.GetFromJsonAsync<JsonElement>("/api/vehicles", Ct)).EnumerateArray().Select(v => v.GetProperty("vin").GetString()!).ToArray();

    private static async Task<JsonElement> RenaultAccountAsync(GatewayApp app) =>
        (await app.Client.GetFromJsonAsync<JsonElement>("/api/accounts", Ct)).EnumerateArray().Single(a => a.GetProperty("maker").GetString() == "Renault");

    private static string WrongCode(string code) => code == "000000" ? "111111" : "000000";
}
