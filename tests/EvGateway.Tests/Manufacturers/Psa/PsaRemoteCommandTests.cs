using System.Globalization;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Pairing;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Psa;

public sealed class PsaRemoteCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Charge_stop_is_published_as_a_delayed_charge_at_the_cars_own_hour_and_returns_with_the_cars_reply()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:DefaultDelayedChargeStart"] = "23:45" });
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        var before = await gateway.Provider.GetStatusAsync(vehicle, Ct);
        Assert.Equal(ChargeState.Charging, before.ChargeState);

        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.ChargeStop), Ct);

        var published = Assert.Single(bed.Psa.Published);
        Assert.Equal($"psa/RemoteServices/from/cid/{PsaCloud.DemoCustomerId}/VehCharge", published.Topic);
        var envelope = published.Envelope!.Value;
        Assert.Equal(PsaCloud.DemoCustomerId, envelope.GetProperty("customer_id").GetString());
        Assert.Equal(PsaCloud.DemoE208Vin, envelope.GetProperty("vin").GetString());
        Assert.False(string.IsNullOrEmpty(envelope.GetProperty("access_token").GetString()));
        Assert.Equal(bed.Time.GetUtcNow(), DateTimeOffset.Parse(envelope.GetProperty("req_date").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal("""{"program":{"hour":22,"minute":30},"type":"delayed"}""",
            PsaProviderTests.Parameters(published).GetRawText().Replace(" ", "", StringComparison.Ordinal));
        Assert.True(outcome.Accepted);
        Assert.Equal(envelope.GetProperty("correlation_id").GetString(), outcome.CorrelationId);
        Assert.False(bed.Psa.Car(PsaCloud.DemoE208Vin).Read().Charging);
        Assert.Equal(ChargeState.Waiting, (await gateway.Provider.GetStatusAsync(vehicle, Ct)).ChargeState);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
    }

    [Fact]
    public async Task Charge_stop_without_a_known_delayed_hour_uses_the_configured_default()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:DefaultDelayedChargeStart"] = "23:45" });
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.ChargeStop), Ct);

        var parameters = PsaProviderTests.Parameters(Assert.Single(bed.Psa.Published));
        Assert.Equal(23, parameters.GetProperty("program").GetProperty("hour").GetInt32());
        Assert.Equal(45, parameters.GetProperty("program").GetProperty("minute").GetInt32());
    }

    [Fact]
    public async Task A_car_that_never_answers_ends_the_command_at_the_configured_timeout_with_vehicle_asleep()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        bed.Psa.SetUnresponsive(vehicle.Vin, true);

        var command = gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Horn), Ct);
        await FakeClock.EventuallyAsync(() => bed.Psa.Published.Count == 1, Ct);
        bed.Time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(command.IsCompleted);
        bed.Time.Advance(TimeSpan.FromSeconds(0.1));
        var failure = await Assert.ThrowsAsync<GatewayException>(() => command);

        Assert.Equal(ErrorCodes.VehicleAsleep, failure.Code);
        Assert.Single(bed.Psa.Published);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
    }

    [Fact]
    public async Task An_asleep_car_is_vehicle_asleep_and_a_car_in_privacy_mode_is_privacy_mode()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        bed.Psa.SetAsleep(vehicle.Vin, true);
        var asleep = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct));
        bed.Psa.SetAsleep(vehicle.Vin, false);
        bed.Psa.SetPrivacy(vehicle.Vin, true);
        var privacy = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct));

        Assert.Equal(ErrorCodes.VehicleAsleep, asleep.Code);
        Assert.Equal(ErrorCodes.PrivacyMode, privacy.Code);
    }

    [Fact]
    public async Task An_envelope_refused_for_its_remote_token_renews_the_token_logs_in_with_it_and_is_resent_once()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lock), Ct);
        Assert.Equal(1, bed.Psa.RemoteTokenRefreshCount);
        bed.Psa.RevokeRemoteTokens();

        var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Unlock), Ct);

        Assert.True(outcome.Accepted);
        Assert.Equal(2, bed.Psa.RemoteTokenRefreshCount);
        var unlocks = bed.Psa.Published.Where(p => PsaProviderTests.Parameters(p).GetProperty("action").GetString() == "unlock").ToList();
        Assert.Equal(2, unlocks.Count);
        Assert.Equal(outcome.CorrelationId, unlocks[1].Envelope!.Value.GetProperty("correlation_id").GetString());
        Assert.Equal(bed.Psa.IssuedRemoteTokens[^1], unlocks[1].Envelope!.Value.GetProperty("access_token").GetString());
        // The renewed token is the broker password too: the session that still carried the revoked one was replaced,
        // which the gateway did itself and so does not report as the broker dropping it.
        Assert.Equal(2, bed.Psa.BrokerConnectAttempts);
        Assert.DoesNotContain(gateway.Log.Lines, line => line.Contains("broker closed the session", StringComparison.Ordinal));
        Assert.False(bed.Psa.Car(vehicle.Vin).Read().Locked);
        var stored = await File.ReadAllTextAsync(Path.Combine(bed.DataDirectory, PsaTokenStore.FileName), Ct);
        Assert.Contains(bed.Psa.CurrentRemoteRefreshToken, stored, StringComparison.Ordinal);
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
    }

    [Fact]
    public async Task The_seventh_wake_up_within_twenty_minutes_is_refused_and_not_published()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoHybridVin);
        for (var i = 0; i < 6; i++)
        {
            var outcome = await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.WakeUp), Ct);
            Assert.True(outcome.Accepted);
            bed.Time.Advance(TimeSpan.FromMinutes(2));
        }

        var refused = await Assert.ThrowsAsync<GatewayException>(() =>
            gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.WakeUp), Ct));

        Assert.Equal(ErrorCodes.WakeUpLimit, refused.Code);
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(8), refused.RetryAfter);
        Assert.Equal(6, bed.Psa.Published.Count(p => p.Service == "/VehCharge/state"));
        Assert.All(bed.Psa.Published, p => Assert.Equal("""{"action":"state"}""",
            PsaProviderTests.Parameters(p).GetRawText().Replace(" ", "", StringComparison.Ordinal)));
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
    }

    [Fact]
    public async Task A_car_event_is_merged_into_the_last_status_and_pushed()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        var known = await gateway.Provider.GetStatusAsync(vehicle, Ct);
        var pushed = new TaskCompletionSource<VehicleStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        gateway.Provider.StatusPushed += status => pushed.TrySetResult(status);
        bed.Psa.Car(vehicle.Vin).SetLevel(88);
        bed.Time.Advance(TimeSpan.FromMinutes(1));

        await gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.Lights) { Count = 5 }, Ct);
        var status = await pushed.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);

        Assert.Equal(vehicle.Vin, status.Vin);
        Assert.Equal(88, status.BatteryLevel);
        Assert.Equal(ChargeState.Charging, status.ChargeState);
        Assert.Equal(bed.Time.GetUtcNow(), status.FetchedAt);
        Assert.Equal(known.OdometerKm, status.OdometerKm);
        Assert.Equal(known.Location, status.Location);
        Assert.Equal(5, PsaProviderTests.Parameters(Assert.Single(bed.Psa.Published)).GetProperty("duration").GetInt32());
        await PsaProviderTests.AssertNoSecretsAsync(bed, gateway);
    }

    [Fact]
    public async Task Without_a_remote_refresh_token_or_pairing_commands_ask_for_a_pairing_and_nothing_is_published()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway(new Dictionary<string, string?> { ["Psa:RemoteRefreshToken"] = "" });
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);

        var failure = await Assert.ThrowsAsync<PsaPairingException>(() =>
            gateway.Provider.SendCommandAsync(vehicle, new VehicleCommand(VehicleCommandKind.ChargeStart), Ct));

        Assert.Equal(PsaPairingException.PairingRequiredCode, failure.Code);
        Assert.StartsWith("Remote commands are not paired yet", failure.Message, StringComparison.Ordinal);
        Assert.False(vehicle.Has(VehicleCapability.ChargeStart));
        Assert.Empty(bed.Psa.Published);
    }
}
