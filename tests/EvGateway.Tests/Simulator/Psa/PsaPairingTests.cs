using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Xml.Linq;
using EvGateway.Simulator.Psa;
using Microsoft.Extensions.Logging;

namespace EvGateway.Tests.Simulator.Psa;

public sealed class PsaPairingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_sms_endpoint_texts_a_code_only_for_a_logged_in_app_and_logs_it_as_simulated()
    {
        var logs = new CapturedLog();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));
        await using var psa = await PsaSimulatorHarness.StartAsync(loggerFactory);
        var token = await psa.AccessTokenAsync();

        using var anonymous = await SmsAsync(psa, accessToken: null);
        using var wrongRealm = await SmsAsync(psa, token, realm: "clientsB2COpel");
        using var sent = await SmsAsync(psa, token);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, wrongRealm.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, sent.StatusCode);
        Assert.Equal(1, psa.Psa.Pairing.SmsCodesSent);
        var code = psa.Psa.Pairing.LastSmsCode!;
        Assert.Matches("^[0-9]{8}$", code);
        Assert.Contains(logs.Lines, l => l.Contains("SIMULATED SMS", StringComparison.Ordinal) && l.Contains(code, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unused_remote_refresh_token_lapses_while_a_used_one_stays_alive()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();

        psa.Time.Advance(TimeSpan.FromDays(2));
        using var used = await RemoteGrantAsync(psa, "refresh_token", psa.Psa.CurrentRemoteRefreshToken);
        psa.Time.Advance(TimeSpan.FromDays(2));
        using var stillAlive = await RemoteGrantAsync(psa, "refresh_token", psa.Psa.CurrentRemoteRefreshToken);
        psa.Time.Advance(TimeSpan.FromDays(3));
        using var lapsed = await RemoteGrantAsync(psa, "refresh_token", psa.Psa.CurrentRemoteRefreshToken);

        Assert.Equal(HttpStatusCode.OK, used.StatusCode);
        Assert.Equal(HttpStatusCode.OK, stillAlive.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, lapsed.StatusCode);
        Assert.Equal("invalid_grant", (await PsaSimulatorHarness.ReadJsonAsync(lapsed))["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("password", "abcdefg", "invalid_grant")]
    [InlineData("password", "", "invalid_grant")]
    [InlineData("client_credentials", "", "unsupported_grant_type")]
    public async Task The_remote_token_endpoint_refuses_a_password_it_never_issued_and_unknown_grants(string grant, string secret, string error)
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();

        using var response = await RemoteGrantAsync(psa, grant, secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(error, (await PsaSimulatorHarness.ReadJsonAsync(response))["error"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("action=ActionSetup&mode=activate&id=&lastsync=0&macid=bb8e981582b0f31353108fb020bead1c&code=0", "ActionSetup", "NOK:SN")]
    [InlineData("action=ActionSetup&mode=otp&id=unknown&lastsync=0&macid=bb8e981582b0f31353108fb020bead1c&sid=3203", "ActionSetup", "NOK:FORBIDDEN")]
    [InlineData("action=ActionSetup&mode=activate&id=&lastsync=0&macid=someone-else&code=0", "ActionSetup", PsaPairing.BadRequestError)]
    [InlineData("action=ActionFinalize&mode=upgrade&macid=bb8e981582b0f31353108fb020bead1c", "ActionFinalize", PsaPairing.BadRequestError)]
    public async Task The_inwebo_server_answers_what_it_refuses_as_xml_with_the_error_string(string query, string root, string error)
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();

        var body = await psa.Http.GetStringAsync($"{psa.Psa.Pairing.OtpUrl}?{query}", Ct);

        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>", body, StringComparison.Ordinal);
        var answer = XElement.Parse(body[(body.IndexOf("?>", StringComparison.Ordinal) + 2)..]);
        Assert.Equal(root, answer.Name.LocalName);
        Assert.Equal(error, answer.Element("err")!.Value);
        Assert.Equal(1, psa.Psa.Pairing.InWeboRequests);
    }

    private static Task<HttpResponseMessage> SmsAsync(PsaSimulatorHarness psa, string? accessToken, string realm = PsaCloud.Realm)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{psa.Psa.Pairing.SmsCodeUrl}?client_id={PsaCloud.DemoClientId}");
        request.Headers.Add("x-introspect-realm", realm);
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return psa.Http.SendAsync(request, Ct);
    }

    private static async Task<HttpResponseMessage> RemoteGrantAsync(PsaSimulatorHarness psa, string grant, string secret)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"{psa.Psa.RemoteTokenUrl}?client_id={PsaCloud.DemoClientId}")
        {
            Content = SizedJson.Create(new Dictionary<string, string>
            {
                ["grant_type"] = grant,
                [grant == "password" ? "password" : "refresh_token"] = secret,
            }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await psa.AccessTokenAsync());
        return await psa.Http.SendAsync(request, Ct);
    }
}
