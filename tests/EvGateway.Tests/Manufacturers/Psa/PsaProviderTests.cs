using System.Text.Json;
using EvGateway.Manufacturers.Psa;
using EvGateway.Simulator.Psa;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Psa;

public sealed class PsaProviderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Both_cars_of_the_account_are_listed_with_their_opaque_ids()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();

        var vehicles = await gateway.Provider.GetVehiclesAsync(Ct);

        Assert.Equal(2, vehicles.Count);
        var e208 = vehicles.Single(v => v.Vin == PsaCloud.DemoE208Vin);
        Assert.Equal(("Psa", "Peugeot", "e-208", PsaCloud.DemoE208VehicleId, 46.0),
            (e208.Maker, e208.Brand, e208.Model, e208.MakerVehicleId, e208.BatteryCapacityKwh));
        var hybrid = vehicles.Single(v => v.Vin == PsaCloud.DemoHybridVin);
        Assert.Equal(("3008 Hybrid4", PsaCloud.DemoHybridVehicleId, 12.0), (hybrid.Model, hybrid.MakerVehicleId, hybrid.BatteryCapacityKwh));
        Assert.All(vehicles, v => Assert.True(v.Has(VehicleCapability.ChargeStop) && v.Has(VehicleCapability.WakeUp)));
        Assert.Equal(ProviderHealthState.LoggedIn, gateway.Provider.Health.State);
        await AssertNoSecretsAsync(bed, gateway);
    }

    [Theory]
    [InlineData(PsaCloud.DemoE208Vin, 99, 22, 30)]
    [InlineData(PsaCloud.DemoHybridVin, 83.5, 22, 31)]
    public async Task A_status_maps_field_by_field_from_the_simulated_car(string vin, double auxBattery, int delayedHour, int delayedMinute)
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        bed.Time.Advance(TimeSpan.FromMinutes(10));
        var vehicle = await gateway.VehicleAsync(vin);

        var status = await gateway.Provider.GetStatusAsync(vehicle, Ct);

        var car = bed.Psa.Car(vin).Read();
        Assert.Equal(Math.Round(car.Level), status.BatteryLevel);
        Assert.Equal(Math.Round(car.RangeKm), status.RangeKm);
        Assert.Equal(car.Plugged ? PlugState.Plugged : PlugState.Unplugged, status.PlugState);
        Assert.Equal(car.Charging ? ChargeState.Charging : ChargeState.NotCharging, status.ChargeState);
        Assert.Equal(car.Charging ? car.RemainingMinutes : null, status.ChargeRemainingMinutes);
        Assert.Equal(car.OdometerKm, status.OdometerKm);
        Assert.Equal(car.Latitude, status.Location!.Latitude);
        Assert.Equal(car.Longitude, status.Location.Longitude);
        Assert.Equal(car.Altitude, status.Location.Altitude);
        Assert.Equal(car.ClimateActive, status.Climate!.Active);
        Assert.Equal(car.Locked, status.Locked);
        Assert.Equal(auxBattery, status.AuxBatteryLevel);
        Assert.Equal(new TimeOnly(delayedHour, delayedMinute), status.NextDelayedChargeStart);
        Assert.Equal(TruncateToSeconds(car.Timestamp), status.UpdatedAt);
        Assert.Equal(bed.Time.GetUtcNow(), status.FetchedAt);
        Assert.Equal(("Peugeot", vehicle.Model), (status.Brand, status.Model));
    }

    [Fact]
    public async Task A_car_the_cloud_does_not_know_is_vehicle_not_found()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var ghost = (await gateway.VehicleAsync(PsaCloud.DemoE208Vin)) with { Vin = "VR3GHOST000000000", MakerVehicleId = "nope" };

        var failure = await Assert.ThrowsAsync<GatewayException>(() => gateway.Provider.GetStatusAsync(ghost, Ct));

        Assert.Equal(ErrorCodes.VehicleNotFound, failure.Code);
    }

    [Fact]
    public async Task A_throttled_read_is_upstream_rate_limited_with_the_clouds_wait_and_is_not_retried()
    {
        await using var bed = await PsaAdapter.StartBedAsync();
        await using var gateway = bed.StartGateway();
        var vehicle = await gateway.VehicleAsync(PsaCloud.DemoE208Vin);
        bed.Psa.FailNext(1, PsaFault.RateLimited);

        var failure = await Assert.ThrowsAsync<GatewayException>(() => gateway.Provider.GetStatusAsync(vehicle, Ct));

        Assert.Equal(ErrorCodes.UpstreamRateLimited, failure.Code);
        Assert.Equal(TimeSpan.FromSeconds(30), failure.RetryAfter);
        Assert.Equal(1, bed.Psa.CallCount("/user/vehicles/{id}/status"));
    }

    private static DateTimeOffset TruncateToSeconds(DateTimeOffset instant) =>
        new(instant.Ticks - instant.Ticks % TimeSpan.TicksPerSecond, instant.Offset);

    internal static async Task AssertNoSecretsAsync(TestBed bed, GatewayServices gateway, params string[] more)
    {
        var secrets = new List<string>
        {
            PsaCloud.DemoClientSecret,
            PsaCloud.DemoRefreshToken,
            PsaCloud.DemoRemoteRefreshToken,
            bed.Psa.CurrentRefreshToken,
            bed.Psa.CurrentRemoteRefreshToken,
        };
        secrets.AddRange(more);
        secrets.AddRange(bed.Psa.Published
            .Select(p => p.Envelope is { } envelope && envelope.TryGetProperty("access_token", out var token) ? token.GetString() : null)
            .OfType<string>());
        if (gateway.Provider.Health.State == ProviderHealthState.LoggedIn)
        {
            secrets.Add(await gateway.CurrentAccessTokenAsync(Ct));
        }

        Assert.NotEmpty(gateway.Log.Lines);
        foreach (var line in gateway.Log.Lines)
        {
            foreach (var secret in secrets.Where(s => s.Length > 0))
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }

    internal static JsonElement Parameters(PsaPublishedCommand command) => command.Envelope!.Value.GetProperty("req_parameters");
}
