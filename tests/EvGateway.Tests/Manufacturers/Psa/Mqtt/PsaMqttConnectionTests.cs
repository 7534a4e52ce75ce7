using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;
using Microsoft.Extensions.DependencyInjection;
using MQTTnet;

namespace EvGateway.Tests.Manufacturers.Psa.Mqtt;

/// <summary>The gateway's broker login (psa.md §3): the remote access token is the password, kept current, and a refused login backs off.</summary>
public sealed class PsaMqttConnectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task The_gateway_logs_in_with_the_remote_access_token_its_envelopes_carry_while_the_broker_refuses_the_oauth_token()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct);
        var envelopeToken = Assert.Single(bed.Psa.Published).Envelope!.Value.GetProperty("access_token").GetString()!;
        var withOAuthToken = await PsaMqttProbe.TryConnectAsync(bed.Psa.MqttPort, await gateway.CurrentAccessTokenAsync(Ct));
        var withEnvelopeToken = await PsaMqttProbe.TryConnectAsync(bed.Psa.MqttPort, envelopeToken);

        Assert.True(outcome.Accepted);
        Assert.True(Connection(gateway).IsConnected);
        Assert.Equal(Assert.Single(bed.Psa.IssuedRemoteTokens), envelopeToken);
        Assert.Equal(MqttClientConnectResultCode.NotAuthorized, withOAuthToken.ResultCode);
        Assert.Equal(MqttClientConnectResultCode.Success, withEnvelopeToken.ResultCode);
        // The gateway's own login plus the two probes: the broker took the gateway at its first CONNECT.
        Assert.Equal(3, bed.Psa.BrokerConnectAttempts);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway, [.. bed.Psa.IssuedRemoteTokens]);
    }

    [Fact]
    public async Task A_command_succeeds_after_the_remote_token_lapsed_and_the_broker_dropped_the_session()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct);
        var connection = Connection(gateway);

        bed.Time.Advance(TimeSpan.FromSeconds(900));
        await FakeClock.EventuallyAsync(() => !connection.IsConnected, Ct);
        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Unlock), Ct);

        Assert.True(outcome.Accepted);
        Assert.True(connection.IsConnected);
        Assert.False(bed.Psa.Car(vehicle.Vin).Read().Locked);
        Assert.Equal(2, bed.Psa.RemoteTokenRefreshCount);
        // The gateway knew its token had lapsed, so it refreshed before logging in again: no refused CONNECT.
        Assert.Equal(2, bed.Psa.BrokerConnectAttempts);
        Assert.Equal(bed.Psa.IssuedRemoteTokens, bed.Psa.Published.Select(p => p.Envelope!.Value.GetProperty("access_token").GetString()));
        Assert.Contains(gateway.Log.Lines, line => line.Contains("broker closed the session", StringComparison.Ordinal));
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway, [.. bed.Psa.IssuedRemoteTokens]);
    }

    [Fact]
    public async Task A_session_dropped_before_the_token_lapsed_by_the_gateways_clock_is_reopened_with_a_renewed_token()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct);
        var connection = Connection(gateway);

        await bed.Psa.ExpireRemoteTokensAsync();
        await FakeClock.EventuallyAsync(() => !connection.IsConnected, Ct);
        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Unlock), Ct);

        Assert.True(outcome.Accepted);
        Assert.Equal(2, bed.Psa.RemoteTokenRefreshCount);
        // The first login, the refused one with the stale token, the accepted one with the renewed token.
        Assert.Equal(3, bed.Psa.BrokerConnectAttempts);
        Assert.Equal(bed.Psa.IssuedRemoteTokens[1], bed.Psa.Published[^1].Envelope!.Value.GetProperty("access_token").GetString());
        Assert.Equal(ProviderHealthState.LoggedIn, gateway.Provider.Health.State);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway, [.. bed.Psa.IssuedRemoteTokens]);
    }

    [Fact]
    public async Task A_refused_login_shows_on_the_health_in_words_and_is_retried_after_growing_pauses_not_in_a_loop()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        var connection = Connection(gateway);
        bed.Psa.RefuseBrokerLogins(true);
        var start = bed.Time.GetUtcNow();

        var refused = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct));
        var firstHealth = gateway.Provider.Health;
        // Once with the token it had, once with a renewed one: then it waits.
        Assert.Equal(2, bed.Psa.BrokerConnectAttempts);

        // Something asks for the session every 10 s for an hour: the broker must see a handful of logins, not 360.
        var attemptMinutes = new List<double>();
        while (bed.Time.GetUtcNow() - start < TimeSpan.FromHours(1))
        {
            bed.Time.Advance(TimeSpan.FromSeconds(10));
            var before = bed.Psa.BrokerConnectAttempts;
            await Assert.ThrowsAsync<GatewayException>(() => connection.EnsureConnectedAsync(Ct));
            if (bed.Psa.BrokerConnectAttempts != before)
            {
                attemptMinutes.Add((bed.Time.GetUtcNow() - start).TotalMinutes);
            }
        }

        var lastHealth = gateway.Provider.Health;
        var attemptsInTheHour = bed.Psa.BrokerConnectAttempts;
        bed.Psa.RefuseBrokerLogins(false);
        bed.Time.Advance(start + TimeSpan.FromMinutes(61) - bed.Time.GetUtcNow());
        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct);

        Assert.Equal(ErrorCodes.UpstreamUnavailable, refused.Code);
        Assert.Equal(503, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(1), refused.RetryAfter);
        Assert.Contains("refused the login (not authorized)", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ProviderHealthState.Failing, firstHealth.State);
        Assert.Contains("remote-command broker refused the login (not authorized) 1 time(s) in a row", firstHealth.Detail, StringComparison.Ordinal);
        Assert.Equal(new double[] { 1, 3, 7, 15, 31 }, attemptMinutes);
        Assert.Equal(7, attemptsInTheHour);
        Assert.Contains("6 time(s) in a row; next attempt after 2026-11-25 10:01:00 UTC", lastHealth.Detail, StringComparison.Ordinal);
        Assert.Equal(6, gateway.Log.Lines.Count(line => line.StartsWith("Error", StringComparison.Ordinal) && line.Contains("refused the login (not authorized)", StringComparison.Ordinal)));
        Assert.True(outcome.Accepted);
        Assert.Equal(ProviderHealthState.LoggedIn, gateway.Provider.Health.State);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway, [.. bed.Psa.IssuedRemoteTokens]);
    }

    [Fact]
    public async Task Ready_health_and_the_log_say_in_words_that_the_broker_refuses_the_login_and_carry_no_token()
    {
        await using var app = await GatewayApp.StartAsync();
        var psa = app.Simulator.Psa;
        var connection = app.Services.GetRequiredService<PsaMqttConnection>();
        await FakeClock.EventuallyAsync(() => connection.IsConnected, Ct);
        psa.RefuseBrokerLogins(true);
        await psa.ExpireRemoteTokensAsync();
        await FakeClock.EventuallyAsync(() => !connection.IsConnected, Ct);
        var attemptsBefore = psa.BrokerConnectAttempts;

        using var refused = await app.Client.PostAsync($"/api/vehicles/{PsaCloud.DemoE208Vin}/commands/climate-start", null, Ct);
        using var paused = await app.Client.PostAsync($"/api/vehicles/{PsaCloud.DemoE208Vin}/commands/horn", null, Ct);
        // A bounded real interval with the clock standing still: nothing may retry behind the pause.
        await Task.Delay(TimeSpan.FromMilliseconds(500), Ct);
        using var ready = await app.Client.GetAsync("/health/ready", Ct);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var health = await ready.Content.ReadFromJsonAsync<JsonElement>(Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(1), refused.Headers.RetryAfter?.Delta);
        Assert.Equal(ErrorCodes.UpstreamUnavailable, problem.GetProperty("code").GetString());
        Assert.Contains("refused the login (not authorized)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, paused.StatusCode);
        Assert.Equal(attemptsBefore + 2, psa.BrokerConnectAttempts);
        Assert.StartsWith("Failing: the remote-command broker refused the login (not authorized) 1 time(s) in a row",
            health.GetProperty("makers").GetProperty(PsaProvider.MakerName).GetString(), StringComparison.Ordinal);
        // The host's log formatter quotes the values, so the words are looked for one by one.
        Assert.Single(app.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal)
                                             && line.Contains("broker refused the login", StringComparison.Ordinal)
                                             && line.Contains("not authorized", StringComparison.Ordinal));
        var tokens = psa.IssuedRemoteTokens.Append(await app.Services.GetRequiredService<PsaTokenProvider>().GetAccessTokenAsync(Ct));
        Assert.All(tokens, token => Assert.DoesNotContain(token, app.Log.All, StringComparison.Ordinal));
    }

    private static PsaMqttConnection Connection(GatewayServices gateway) => gateway.Services.GetRequiredService<PsaMqttConnection>();
}
