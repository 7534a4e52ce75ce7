using System.Net;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Psa;
using MQTTnet;

namespace EvGateway.Tests.Simulator.Psa;

/// <summary>The simulated broker's login rules: the remote access token is the password, and a session lives as long as it.</summary>
public class PsaBrokerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_broker_refuses_the_oauth_access_token_and_accepts_a_current_remote_access_token()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var accessToken = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(accessToken);

        var withAccessToken = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, accessToken);
        var withWrongUser = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, remoteToken, username: "evgateway");
        var withGarbage = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, "not-a-remote-token");
        var withRemoteToken = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, remoteToken);

        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, withAccessToken.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, withWrongUser.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, withGarbage.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, withRemoteToken.ResultCode);
        Assert.Equal(4, psa.Psa.BrokerConnectAttempts);
    }

    [Fact]
    public async Task A_session_lasts_as_long_as_its_remote_token_and_a_lapsed_token_is_refused_at_connect()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var accessToken = await psa.AccessTokenAsync();
        var remoteToken = await psa.RemoteTokenAsync(accessToken);
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);

        psa.Time.Advance(TimeSpan.FromSeconds(898));
        await mqtt.SendAsync("/Horn", PsaCloud.DemoE208Vin, remoteToken, new JsonObject { ["nb_horn"] = 1, ["action"] = "activate" },
            psa.Time.GetUtcNow());
        var stillServed = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/Horn"));
        psa.Time.Advance(TimeSpan.FromSeconds(1));
        await mqtt.Dropped.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var again = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, remoteToken);
        var fresh = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, await psa.RemoteTokenAsync(accessToken));

        Assert.Equal("0", stillServed["return_code"]!.GetValue<string>());
        Assert.False(mqtt.IsConnected);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, again.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, fresh.ResultCode);
    }

    [Fact]
    public async Task Expiring_the_remote_tokens_over_http_drops_their_sessions_at_once()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var remoteToken = await psa.RemoteTokenAsync(await psa.AccessTokenAsync());
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);

        using var expire = await psa.Http.PostAsync(new Uri(psa.Simulator.BaseAddress, "_control/psa/remote-tokens/expire"), null, Ct);
        await mqtt.Dropped.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var again = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, remoteToken);

        Assert.Equal(HttpStatusCode.NoContent, expire.StatusCode);
        Assert.False(mqtt.IsConnected);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, again.ResultCode);
    }

    [Fact]
    public async Task A_revoked_token_keeps_its_session_up_until_its_own_expiry()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var remoteToken = await psa.RemoteTokenAsync(await psa.AccessTokenAsync());
        await using var mqtt = await PsaMqttProbe.ConnectAsync(psa.Psa.MqttPort, remoteToken);

        psa.Psa.RevokeRemoteTokens();
        psa.Time.Advance(TimeSpan.FromSeconds(898));
        var correlationId = await mqtt.SendAsync("/Doors", PsaCloud.DemoE208Vin, remoteToken, new JsonObject { ["action"] = "lock" },
            psa.Time.GetUtcNow());
        var reply = await mqtt.NextAsync(PsaTopics.Reply(PsaCloud.DemoCustomerId, "/Doors"));
        psa.Time.Advance(TimeSpan.FromSeconds(1));
        await mqtt.Dropped.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(correlationId, reply["correlation_id"]!.GetValue<string>());
        Assert.Equal("400", reply["return_code"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_broker_told_to_refuse_logins_refuses_even_a_current_remote_token_and_counts_every_attempt_over_http()
    {
        await using var psa = await PsaSimulatorHarness.StartAsync();
        var control = new Uri(psa.Simulator.BaseAddress, "_control/psa/");
        var remoteToken = await psa.RemoteTokenAsync(await psa.AccessTokenAsync());

        using var refuse = await psa.Http.PostAsync(new Uri(control, "broker/refuse-logins?on=true"), null, Ct);
        var refused = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, remoteToken);
        using var allow = await psa.Http.PostAsync(new Uri(control, "broker/refuse-logins?on=false"), null, Ct);
        var accepted = await PsaMqttProbe.TryConnectAsync(psa.Psa.MqttPort, remoteToken);
        using var counters = await psa.Http.GetAsync(new Uri(control, "counters"), Ct);

        Assert.Equal(HttpStatusCode.NoContent, refuse.StatusCode);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, refused.ResultCode);
        Assert.Equal(HttpStatusCode.NoContent, allow.StatusCode);
        Assert.Equal(MqttClientConnectResultCode.Success, accepted.ResultCode);
        Assert.Equal(2, (await PsaSimulatorHarness.ReadJsonAsync(counters))["brokerConnectAttempts"]!.GetValue<int>());
    }
}
