using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using EvGateway.Manufacturers.Psa;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;

namespace EvGateway.Tests.Manufacturers.Psa;

/// <summary>
/// The first login in the owner's browser (psa.md §1b), end to end over sockets: the real adapter hands out the login
/// address, a headless browser logs the demo owner in on the simulated brand page, and what it would show in its
/// address bar is pasted back.
/// </summary>
public sealed partial class PsaBrowserLoginTests
{
    private const string OtherClientId = "0e5b6d2a-1c7f-4f3e-9a8d-2b4c6e8f0a1c";
    private const string OtherClientSecret = "a-fifty-character-secret-of-the-brand-s-app-000000";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_gateway_without_a_refresh_token_serves_the_account_s_cars_once_the_owner_pastes_the_address()
    {
        await using var rig = await Rig.StartAsync();
        Assert.False(rig.Gateway.Provider.IsConfigured);
        Assert.Equal(ProviderHealthState.Failing, rig.Gateway.Provider.Health.State);
        Assert.Contains("not connected", rig.Gateway.Provider.Health.Detail, StringComparison.Ordinal);
        var beforeLogin = await Assert.ThrowsAsync<GatewayException>(() => rig.Gateway.Provider.GetVehiclesAsync(Ct));
        Assert.Equal(ErrorCodes.InvalidCredentials, beforeLogin.Code);

        var authorizeUrl = rig.Login.Start(PsaBrand.Peugeot, "FR");
        var pasted = await rig.Browser.LogInAsync(authorizeUrl);
        var result = await rig.Login.CompleteAsync(pasted, Ct);

        Assert.Equal(PsaLoginOutcome.Connected, result.Outcome);
        Assert.Equal(PsaCloud.DemoCustomerId, result.CustomerId);
        Assert.True(rig.Gateway.Provider.IsConfigured);
        var vins = (await rig.Gateway.Provider.GetVehiclesAsync(Ct)).Select(v => v.Vin).Order();
        Assert.Equal([PsaCloud.DemoHybridVin, PsaCloud.DemoE208Vin], vins);
        Assert.Equal(ProviderHealthState.LoggedIn, rig.Gateway.Provider.Health.State);
        // The exchange's own access token is used: no refresh is spent on a fresh login.
        Assert.Equal(0, rig.Bed.Psa.RefreshCount);
        var store = Path.Combine(rig.Bed.DataDirectory, PsaTokenStore.FileName);
        Assert.Contains(rig.Bed.Psa.CurrentRefreshToken, await File.ReadAllTextAsync(store, Ct), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        }

        await AssertNothingOfTheLoginLoggedAsync(rig.Bed, rig.Gateway, authorizeUrl, pasted);
    }

    [Theory]
    [InlineData(PsaBrand.Peugeot, "idpcvs.peugeot.com", "mymap")]
    [InlineData(PsaBrand.Citroen, "idpcvs.citroen.com", "mymacsdk")]
    [InlineData(PsaBrand.DS, "idpcvs.driveds.com", "mymdssdk")]
    [InlineData(PsaBrand.Opel, "idpcvs.opel.com", "mymopsdk")]
    [InlineData(PsaBrand.Vauxhall, "idpcvs.vauxhall.co.uk", "mymvxsdk")]
    public async Task The_login_address_is_the_brand_s_page_with_its_app_redirect_a_random_state_and_an_S256_challenge(
        PsaBrand brand, string host, string scheme)
    {
        await using var rig = await Rig.StartAsync(settings => settings["Psa:AuthorizeUrl"] = null);

        var first = rig.Login.Start(brand, "gb", OtherClientId, OtherClientSecret);
        var second = rig.Login.Start(brand, "gb", OtherClientId, OtherClientSecret);

        Assert.Equal($"https://{host}/am/oauth2/authorize", first.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(first.Query);
        Assert.Equal(OtherClientId, query["client_id"].ToString());
        Assert.Equal("code", query["response_type"].ToString());
        Assert.Equal($"{scheme}://oauth2redirect/gb", query["redirect_uri"].ToString());
        Assert.Equal("openid profile", query["scope"].ToString());
        Assert.Equal("S256", query["code_challenge_method"].ToString());
        Assert.Matches("^[A-Za-z0-9_-]{43}$", query["code_challenge"].ToString());
        Assert.True(query["state"].ToString().Length >= 43);
        Assert.DoesNotContain(OtherClientSecret, first.ToString(), StringComparison.Ordinal);
        var again = QueryHelpers.ParseQuery(second.Query);
        Assert.NotEqual(query["state"].ToString(), again["state"].ToString());
        Assert.NotEqual(query["code_challenge"].ToString(), again["code_challenge"].ToString());
    }

    [Fact]
    public async Task A_code_issued_for_another_challenge_is_refused_and_changes_nothing()
    {
        await using var rig = await Rig.StartAsync();
        var authorizeUrl = rig.Login.Start(PsaBrand.Peugeot, "FR");
        // Someone else's login page: same state, but the code is bound to a challenge whose verifier the gateway lacks.
        var foreignChallenge = Base64Url.EncodeToString(SHA256.HashData(RandomNumberGenerator.GetBytes(16)));
        var tampered = new Uri(Regex.Replace(authorizeUrl.ToString(), "code_challenge=[^&]+", $"code_challenge={foreignChallenge}"));

        var result = await rig.Login.CompleteAsync(await rig.Browser.LogInAsync(tampered), Ct);

        Assert.Equal(PsaLoginOutcome.AuthorizationRejected, result.Outcome);
        Assert.Null(result.CustomerId);
        Assert.Equal(PsaCloud.DemoRefreshToken, rig.Bed.Psa.CurrentRefreshToken);
        Assert.False(File.Exists(Path.Combine(rig.Bed.DataDirectory, PsaTokenStore.FileName)));
        await Assert.ThrowsAsync<GatewayException>(() => rig.Gateway.Provider.GetVehiclesAsync(Ct));
        Assert.Equal(0, rig.Bed.Psa.RefreshCount);
    }

    [Fact]
    public async Task A_code_already_used_is_refused_when_pasted_again_and_the_account_stays_connected()
    {
        await using var rig = await Rig.StartAsync();
        var pasted = await rig.Browser.LogInAsync(rig.Login.Start(PsaBrand.Peugeot, "FR"));
        Assert.Equal(PsaLoginOutcome.Connected, (await rig.Login.CompleteAsync(pasted, Ct)).Outcome);
        var connectedWith = rig.Bed.Psa.CurrentRefreshToken;

        rig.Login.Start(PsaBrand.Peugeot, "FR");
        var reused = await rig.Login.CompleteAsync(PsaOwnerBrowser.QueryOf(pasted)["code"].ToString(), Ct);

        Assert.Equal(PsaLoginOutcome.AuthorizationRejected, reused.Outcome);
        Assert.Equal(connectedWith, rig.Bed.Psa.CurrentRefreshToken);
        Assert.Equal(2, (await rig.Gateway.Provider.GetVehiclesAsync(Ct)).Count);
    }

    [Fact]
    public async Task A_code_pasted_after_a_minute_is_refused_and_logging_in_again_on_the_same_page_then_works()
    {
        await using var rig = await Rig.StartAsync();
        var authorizeUrl = rig.Login.Start(PsaBrand.Peugeot, "FR");
        var late = await rig.Browser.LogInAsync(authorizeUrl);
        rig.Bed.Time.Advance(PsaCloud.AuthorizationCodeLifetime);

        var refused = await rig.Login.CompleteAsync(late, Ct);
        var retried = await rig.Login.CompleteAsync(await rig.Browser.LogInAsync(authorizeUrl), Ct);

        Assert.Equal(PsaLoginOutcome.AuthorizationRejected, refused.Outcome);
        Assert.Contains("expired", refused.Detail, StringComparison.Ordinal);
        Assert.Equal(PsaLoginOutcome.Connected, retried.Outcome);
    }

    [Fact]
    public async Task An_address_from_another_login_attempt_is_refused_for_its_state_without_spending_its_code()
    {
        await using var rig = await Rig.StartAsync();
        var older = await rig.Browser.LogInAsync(rig.Login.Start(PsaBrand.Peugeot, "FR"));
        var newer = rig.Login.Start(PsaBrand.Peugeot, "FR");

        var refused = await rig.Login.CompleteAsync(older, Ct);
        var connected = await rig.Login.CompleteAsync(await rig.Browser.LogInAsync(newer), Ct);

        Assert.Equal(PsaLoginOutcome.StateMismatch, refused.Outcome);
        Assert.Equal(PsaLoginOutcome.Connected, connected.Outcome);
        Assert.Equal(0, rig.Bed.Psa.RefreshCount);
    }

    [Fact]
    public async Task A_login_not_finished_within_ten_minutes_must_be_started_again()
    {
        await using var rig = await Rig.StartAsync();
        var authorizeUrl = rig.Login.Start(PsaBrand.Peugeot, "FR");
        rig.Bed.Time.Advance(PsaBrowserLogin.PendingLifetime);

        var result = await rig.Login.CompleteAsync(await rig.Browser.LogInAsync(authorizeUrl), Ct);

        Assert.Equal(PsaLoginOutcome.NoLoginPending, result.Outcome);
    }

    [Fact]
    public async Task A_restarted_gateway_without_any_psa_setting_goes_on_with_the_stored_login()
    {
        // The settings name another app: the credentials given with the login must win, and be kept for later.
        await using var rig = await Rig.StartAsync(settings =>
        {
            settings["Psa:ClientId"] = OtherClientId;
            settings["Psa:ClientSecret"] = OtherClientSecret;
        });
        var authorizeUrl = rig.Login.Start(PsaBrand.Peugeot, "FR", PsaCloud.DemoClientId, PsaCloud.DemoClientSecret);
        var pasted = await rig.Browser.LogInAsync(authorizeUrl);
        Assert.Equal(PsaLoginOutcome.Connected, (await rig.Login.CompleteAsync(pasted, Ct)).Outcome);
        await AssertNothingOfTheLoginLoggedAsync(rig.Bed, rig.Gateway, authorizeUrl, pasted);
        await rig.Gateway.DisposeAsync();

        var bare = Settings(rig.Bed);
        bare["Psa:ClientId"] = "";
        bare["Psa:ClientSecret"] = "";
        await using var restarted = rig.Bed.StartGateway(bare);
        // The stored login counts as configured before anything runs, so demo mode stays off.
        Assert.True(restarted.Services.GetServices<MakerSetup>().Single(m => m.Maker == PsaProvider.MakerName).IsConfigured(restarted.Configuration));
        var vehicle = await restarted.VehicleAsync(PsaCloud.DemoE208Vin);
        var status = await restarted.Provider.GetStatusAsync(vehicle, Ct);

        Assert.Equal(PsaCloud.DemoE208Vin, status.Vin);
        Assert.Equal(1, rig.Bed.Psa.RefreshCount);
        Assert.Equal(ProviderHealthState.LoggedIn, restarted.Provider.Health.State);
        Assert.Equal(PsaCloud.DemoCustomerId, restarted.Services.GetRequiredService<PsaAccount>().FullCustomerId);
        await PsaProviderTests.AssertNoSecretsAsync(rig.Bed, restarted);
    }

    [Fact]
    public async Task A_wrong_app_secret_given_with_the_login_is_refused_as_a_client_problem()
    {
        await using var rig = await Rig.StartAsync();
        var pasted = await rig.Browser.LogInAsync(rig.Login.Start(PsaBrand.Peugeot, "FR", PsaCloud.DemoClientId, "wrong-secret"));

        var result = await rig.Login.CompleteAsync(pasted, Ct);

        Assert.Equal(PsaLoginOutcome.ClientRejected, result.Outcome);
        Assert.DoesNotContain(rig.Gateway.Log.Lines, line => line.Contains("wrong-secret", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Psa_CustomerId_overrides_the_customer_id_of_the_login()
    {
        await using var rig = await Rig.StartAsync(settings => settings["Psa:CustomerId"] = "ACNT999");

        var result = await rig.Login.CompleteAsync(await rig.Browser.LogInAsync(rig.Login.Start(PsaBrand.Peugeot, "FR")), Ct);

        Assert.Equal("AP-ACNT999", result.CustomerId);
        Assert.Equal("AP-ACNT999", rig.Gateway.Services.GetRequiredService<PsaAccount>().FullCustomerId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mymap://oauth2redirect/fr?state=abc")]
    [InlineData("not a code")]
    public async Task Something_pasted_without_a_code_is_unreadable_and_calls_nothing(string pasted)
    {
        await using var rig = await Rig.StartAsync();
        rig.Login.Start(PsaBrand.Peugeot, "FR");

        var result = await rig.Login.CompleteAsync(pasted, Ct);

        Assert.Equal(PsaLoginOutcome.Unreadable, result.Outcome);
        Assert.Equal(PsaCloud.DemoRefreshToken, rig.Bed.Psa.CurrentRefreshToken);
    }

    [Theory]
    [InlineData("France", null, null, "country")]
    [InlineData("FR", OtherClientId, null, "clientSecret")]
    [InlineData("FR", null, "a-secret", "clientId")]
    public async Task Start_refuses_a_bad_country_or_half_of_the_app_credentials_naming_the_field(
        string country, string? clientId, string? clientSecret, string field)
    {
        await using var rig = await Rig.StartAsync();

        var refused = Assert.Throws<GatewayException>(() => rig.Login.Start(PsaBrand.Peugeot, country, clientId, clientSecret));

        Assert.Equal(ErrorCodes.ValidationFailed, refused.Code);
        Assert.StartsWith(field, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_configured_app_credentials_are_not_lent_to_another_brand()
    {
        await using var rig = await Rig.StartAsync();

        var refused = Assert.Throws<GatewayException>(() => rig.Login.Start(PsaBrand.Opel, "DE"));

        Assert.Equal(ErrorCodes.ValidationFailed, refused.Code);
        Assert.Contains("Peugeot", refused.Message, StringComparison.Ordinal);
    }

    /// <summary>A gateway with no refresh token: only the browser login can connect it.</summary>
    private static Dictionary<string, string?> Settings(TestBed bed) => new()
    {
        ["Psa:RefreshToken"] = "",
        ["Psa:RemoteRefreshToken"] = "",
        ["Psa:CustomerId"] = "",
        ["Psa:AuthorizeUrl"] = bed.Psa.AuthorizeUrl.ToString(),
        ["Psa:CarAssociationsUrl"] = bed.Psa.CarAssociationsUrl.ToString(),
    };

    /// <summary>
    /// No token, secret, code or state in any log line, and no PKCE verifier either: the test never sees the verifier,
    /// so every 86-character run of URL-safe text logged is hashed and compared with the challenge.
    /// </summary>
    private static async Task AssertNothingOfTheLoginLoggedAsync(TestBed bed, GatewayServices gateway, Uri authorizeUrl, string pasted)
    {
        var redirect = PsaOwnerBrowser.QueryOf(pasted);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway, redirect["code"].ToString(), redirect["state"].ToString());
        var challenge = QueryHelpers.ParseQuery(authorizeUrl.Query)["code_challenge"].ToString();
        foreach (var run in UrlSafeRun().Matches(string.Join('\n', gateway.Log.Lines)).Select(m => m.Value))
        {
            for (var start = 0; start + 86 <= run.Length; start++)
            {
                var candidate = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(run.Substring(start, 86))));
                Assert.NotEqual(challenge, candidate);
            }
        }
    }

    [GeneratedRegex("[A-Za-z0-9._~-]{86,}")]
    private static partial Regex UrlSafeRun();

    /// <summary>A simulator, a gateway with no refresh token pointed at it (the demo app in its settings), and a browser.</summary>
    private sealed class Rig : IAsyncDisposable
    {
        private Rig(TestBed bed, GatewayServices gateway)
        {
            Bed = bed;
            Gateway = gateway;
        }

        public TestBed Bed { get; }
        public GatewayServices Gateway { get; }
        public PsaBrowserLogin Login => Gateway.Services.GetRequiredService<PsaBrowserLogin>();
        public PsaOwnerBrowser Browser { get; } = new();

        public static async Task<Rig> StartAsync(Action<Dictionary<string, string?>>? adjust = null)
        {
            var bed = await PsaAdapter.StartBedAsync();
            var settings = Settings(bed);
            adjust?.Invoke(settings);
            return new Rig(bed, bed.StartGateway(settings));
        }

        public async ValueTask DisposeAsync()
        {
            Browser.Dispose();
            await Gateway.DisposeAsync();
            await Bed.DisposeAsync();
        }
    }
}
