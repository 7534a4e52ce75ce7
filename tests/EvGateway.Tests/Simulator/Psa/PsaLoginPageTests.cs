using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Psa;
using Microsoft.AspNetCore.WebUtilities;

namespace EvGateway.Tests.Simulator.Psa;

/// <summary>The simulated brand login page and code exchange (psa.md §1b), driven as the brand's app would.</summary>
public sealed class PsaLoginPageTests
{
    private const string AppRedirectUri = "mymap://oauth2redirect/fr";
    private const string State = "st-4c1e9a";

    private static readonly string Verifier = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(64));
    private static readonly JsonNode InvalidGrant = JsonNode.Parse("""{"error_description": "grant is invalid", "error": "invalid_grant"}""")!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_authorize_address_serves_a_login_form_marked_as_the_simulator()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        using var browser = new PsaOwnerBrowser();

        var page = await browser.OpenAsync(AuthorizeUrl(sim));

        Assert.Equal(HttpStatusCode.OK, page.Status);
        Assert.True(page.HasLoginForm);
        Assert.Contains("EvGateway simulator", page.Html, StringComparison.Ordinal);
        Assert.Contains("not the real MyPeugeot login page", page.Html, StringComparison.Ordinal);
        Assert.Equal(State, page.HiddenFields["state"]);
        Assert.Equal(AppRedirectUri, page.HiddenFields["redirect_uri"]);
    }

    [Fact]
    public async Task The_right_login_sends_the_browser_to_the_app_with_a_uuid_code_and_the_state()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        using var browser = new PsaOwnerBrowser();

        var location = await browser.LogInAsync(AuthorizeUrl(sim));

        Assert.StartsWith(AppRedirectUri + "?", location, StringComparison.Ordinal);
        var query = PsaOwnerBrowser.QueryOf(location);
        Assert.Equal(36, query["code"].ToString().Length);
        Assert.True(Guid.TryParseExact(query["code"], "D", out _));
        Assert.Equal(State, query["state"].ToString());
    }

    [Fact]
    public async Task A_wrong_password_shows_the_form_again_with_an_error_and_no_code()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        using var browser = new PsaOwnerBrowser();
        var page = await browser.OpenAsync(AuthorizeUrl(sim));

        var again = await browser.SubmitAsync(page, PsaCloud.DemoOwnerEmail, "not-the-password");

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Null(again.Location);
        Assert.True(again.HasLoginForm);
        Assert.Contains("Wrong e-mail address or password.", again.Html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{PsaCloud.DemoOwnerEmail}\"", again.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", again.Html, StringComparison.Ordinal);
        Assert.Equal(State, again.HiddenFields["state"]);
    }

    [Theory]
    [InlineData("client_id", "00000000-0000-0000-0000-000000000000")]
    [InlineData("redirect_uri", "https://attacker.example/callback")]
    [InlineData("redirect_uri", "mymacsdk://oauth2redirect/fr")]
    public async Task An_unknown_client_or_redirect_uri_gets_an_error_page_and_never_a_redirect(string parameter, string value)
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        using var browser = new PsaOwnerBrowser();

        var page = await browser.OpenAsync(AuthorizeUrl(sim, new() { [parameter] = value }));

        Assert.Equal(HttpStatusCode.BadRequest, page.Status);
        Assert.Null(page.Location);
        Assert.False(page.HasLoginForm);
    }

    [Theory]
    [InlineData("code_challenge_method", "plain", "invalid_request")]
    [InlineData("code_challenge", "too-short", "invalid_request")]
    [InlineData("response_type", "token", "unsupported_response_type")]
    [InlineData("scope", "profile", "invalid_scope")]
    public async Task A_bad_request_goes_back_to_the_app_with_the_error_and_the_state(string parameter, string value, string error)
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        using var browser = new PsaOwnerBrowser();

        var page = await browser.OpenAsync(AuthorizeUrl(sim, new() { [parameter] = value }));

        Assert.Equal(HttpStatusCode.Redirect, page.Status);
        Assert.Equal($"{AppRedirectUri}?error={error}&state={State}", page.Location);
    }

    [Fact]
    public async Task The_code_buys_tokens_once_and_the_new_refresh_token_is_the_account_s_current_one()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        var code = await CodeAsync(sim);

        using var exchange = await ExchangeAsync(sim, code, Verifier);
        var tokens = await PsaSimulatorHarness.ReadJsonAsync(exchange);
        using var replay = await ExchangeAsync(sim, code, Verifier);

        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
        Assert.Equal(3599, tokens["expires_in"]!.GetValue<int>());
        Assert.False(string.IsNullOrEmpty(tokens["id_token"]!.GetValue<string>()));
        Assert.Equal(sim.Psa.CurrentRefreshToken, tokens["refresh_token"]!.GetValue<string>());
        using var vehicles = await sim.GetAsync("/user/vehicles", tokens["access_token"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, vehicles.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, replay.StatusCode);
        Assert.True(JsonNode.DeepEquals(InvalidGrant, await PsaSimulatorHarness.ReadJsonAsync(replay)));
    }

    [Theory]
    [InlineData("wrong verifier")]
    [InlineData("no verifier")]
    [InlineData("other redirect_uri")]
    [InlineData("expired")]
    public async Task A_code_is_refused_with_invalid_grant_and_spent_when(string mismatch)
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        var code = await CodeAsync(sim);
        var verifier = mismatch switch
        {
            "wrong verifier" => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(64)),
            "no verifier" => null,
            _ => Verifier,
        };
        if (mismatch == "expired")
        {
            sim.Time.Advance(PsaCloud.AuthorizationCodeLifetime);
        }

        using var refused = await ExchangeAsync(sim, code, verifier, mismatch == "other redirect_uri" ? "mymap://oauth2redirect/de" : AppRedirectUri);
        using var retried = await ExchangeAsync(sim, code, Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(JsonNode.DeepEquals(InvalidGrant, await PsaSimulatorHarness.ReadJsonAsync(refused)));
        Assert.Equal(HttpStatusCode.BadRequest, retried.StatusCode);
        Assert.Equal(PsaCloud.DemoRefreshToken, sim.Psa.CurrentRefreshToken);
    }

    [Fact]
    public async Task A_code_a_second_short_of_its_lifetime_is_still_exchanged()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        var code = await CodeAsync(sim);
        sim.Time.Advance(PsaCloud.AuthorizationCodeLifetime - TimeSpan.FromSeconds(1));

        using var exchange = await ExchangeAsync(sim, code, Verifier);

        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
    }

    [Fact]
    public async Task A_login_without_pkce_is_accepted_as_the_home_assistant_integration_does_it()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        using var browser = new PsaOwnerBrowser();
        var location = await browser.LogInAsync(AuthorizeUrl(sim, new() { ["code_challenge"] = null, ["code_challenge_method"] = null }));

        using var exchange = await ExchangeAsync(sim, CodeOf(location), codeVerifier: null);

        Assert.Equal(HttpStatusCode.OK, exchange.StatusCode);
    }

    [Fact]
    public async Task A_wrong_client_secret_at_the_exchange_is_invalid_client()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        var code = await CodeAsync(sim);

        using var refused = await ExchangeAsync(sim, code, Verifier, clientSecret: PsaCloud.DemoClientSecret + " ");

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal("invalid_client", (await PsaSimulatorHarness.ReadJsonAsync(refused))["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task Car_associations_give_the_customer_id_to_a_caller_with_token_client_id_and_realm()
    {
        await using var sim = await PsaSimulatorHarness.StartAsync();
        var accessToken = await sim.AccessTokenAsync();

        using var answer = await CarAssociationsAsync(sim, accessToken, PsaCloud.Realm);
        using var withoutToken = await CarAssociationsAsync(sim, accessToken: null, PsaCloud.Realm);
        using var otherRealm = await CarAssociationsAsync(sim, accessToken, "clientsB2COpel");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var associations = (await PsaSimulatorHarness.ReadJsonAsync(answer)).AsArray();
        Assert.Equal(PsaCloud.DemoCustomerId, associations[0]!["customer"]!.GetValue<string>());
        Assert.Equal(2, associations.Count);
        Assert.Equal(HttpStatusCode.Unauthorized, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, otherRealm.StatusCode);
    }

    private static Uri AuthorizeUrl(PsaSimulatorHarness sim, Dictionary<string, string?>? changes = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = PsaCloud.DemoClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = AppRedirectUri,
            ["scope"] = "openid profile",
            ["state"] = State,
            ["code_challenge"] = Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(Verifier))),
            ["code_challenge_method"] = "S256",
        };
        foreach (var (name, value) in changes ?? [])
        {
            parameters[name] = value;
        }

        return new Uri(QueryHelpers.AddQueryString(sim.Psa.AuthorizeUrl.ToString(), parameters.Where(p => p.Value is not null)));
    }

    private static async Task<string> CodeAsync(PsaSimulatorHarness sim)
    {
        using var browser = new PsaOwnerBrowser();
        return CodeOf(await browser.LogInAsync(AuthorizeUrl(sim)));
    }

    private static string CodeOf(string location) => PsaOwnerBrowser.QueryOf(location)["code"].ToString();

    private static Task<HttpResponseMessage> ExchangeAsync(PsaSimulatorHarness sim, string code, string? codeVerifier,
        string redirectUri = AppRedirectUri, string clientSecret = PsaCloud.DemoClientSecret)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "authorization_code", ["code"] = code, ["redirect_uri"] = redirectUri };
        if (codeVerifier is not null)
        {
            form["code_verifier"] = codeVerifier;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, sim.Psa.TokenUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{PsaCloud.DemoClientId}:{clientSecret}")));
        return sim.Http.SendAsync(request, Ct);
    }

    private static Task<HttpResponseMessage> CarAssociationsAsync(PsaSimulatorHarness sim, string? accessToken, string realm)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"{sim.Psa.CarAssociationsUrl}?client_id={PsaCloud.DemoClientId}");
        request.Headers.Add("x-introspect-realm", realm);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return sim.Http.SendAsync(request, Ct);
    }
}
