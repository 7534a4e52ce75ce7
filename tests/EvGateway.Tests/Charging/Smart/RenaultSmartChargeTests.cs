using EvGateway.Charging.Smart;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Smart;

/// <summary>Smart charging applied to a Renault through the real adapter and the simulated cloud, in simulated time.</summary>
public sealed class RenaultSmartChargeTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-25T20:00:00Z");

    // Half-hour prices from 20:00 UTC; the cheapest hour and a half is 02:00–03:30 UTC.
    private static readonly double[] Prices = [30, 28, 25, 22, 20, 18, 16, 15, 14, 13, 12, 11, 4, 3, 3.5, 9, 10, 12, 15, 18, 22, 25];
    private readonly FakeTimeProvider time = new(Start);

    [Fact]
    public async Task A_zoe_gets_a_schedule_in_the_cheap_hours_and_reaches_its_target_by_ready_by()
    {
        await using var bed = await StartBedAsync();
        await using var charging = await StartChargingAsync(bed);
        var car = bed.Renault.Car(RenaultCloud.DemoZoePhase1Vin);
        var readyBy = DateTimeOffset.Parse("2026-11-26T07:00:00+01:00");

        var applied = await charging.Get<SmartChargeService>().ApplyAsync(RenaultCloud.DemoZoePhase1Vin, 90, readyBy, null,
            TestContext.Current.CancellationToken);
        await charging.RunControllerForAsync(DateTimeOffset.Parse("2026-11-26T01:55:00Z") - time.GetUtcNow());
        var beforeWindow = car.Read();
        await charging.RunControllerForAsync(readyBy - time.GetUtcNow());
        var atReadyBy = car.Read();

        // 63 % → 90 % of 41 kWh is 11.07 kWh: 1 h 30 min at 7.4 kW, in the three cheapest half hours.
        Assert.Equal(["2026-11-26T03:00:00+01:00"], applied.Plan.Slots.Take(1).Select(s => s.Start.ToString("yyyy-MM-dd'T'HH:mm:sszzz")));
        Assert.Contains("scheduled mode", applied.Applied);
        Assert.Equal(63, beforeWindow.Level, precision: 1);
        Assert.False(beforeWindow.Charging);
        Assert.InRange(atReadyBy.Level, 90, 92.99);
        Assert.False(atReadyBy.Charging);
        Assert.Null(charging.Store.Get(RenaultCloud.DemoZoePhase1Vin).LastError);
    }

    [Theory]
    [InlineData(62, 90, 62, 67)]
    [InlineData(60, 75, 60, 60.99)]
    public async Task A_renault_5_gets_its_daily_window_in_the_cheap_hours_and_stops_at_its_limit_or_the_window_end(
        int target, int windowMinutes, double lowest, double highest)
    {
        await using var bed = await StartBedAsync();
        await using var charging = await StartChargingAsync(bed);
        var car = bed.Renault.Car(RenaultCloud.DemoRenault5Vin);
        var chargingAtFirst = car.Read().Charging;
        var readyBy = DateTimeOffset.Parse("2026-11-26T07:00:00+01:00");

        var applied = await charging.Get<SmartChargeService>().ApplyAsync(RenaultCloud.DemoRenault5Vin, target, readyBy, null,
            TestContext.Current.CancellationToken);
        var window = EvSettingsClient.ToDaily(await charging.Get<EvSettingsClient>().ReadAsync(RenaultCloud.DemoRenaultAccountId,
            RenaultCloud.DemoRenault5Vin, TestContext.Current.CancellationToken));
        var plannedStart = applied.Plan.Slots[0].Start;
        await charging.RunControllerForAsync(plannedStart - TimeSpan.FromMinutes(20) - time.GetUtcNow());
        var beforeWindow = car.Read();
        await charging.RunControllerForAsync(readyBy - time.GetUtcNow());
        var atReadyBy = car.Read();

        // From 35 % of 52 kWh at 11 kW, the planned length rounded up to the car's quarter hours, in local time.
        Assert.True(chargingAtFirst);
        Assert.Equal("contiguous", applied.Plan.Strategy);
        var localStart = TimeOnly.FromDateTime(plannedStart.DateTime);
        Assert.Equal((CarChargeMode.Scheduled, new TimeOnly(localStart.Hour, localStart.Minute / 15 * 15), windowMinutes),
            (window.Mode, window.Start, window.DurationMinutes));
        Assert.False(beforeWindow.Charging);
        Assert.InRange(atReadyBy.Level, lowest, highest);
        Assert.False(atReadyBy.Charging);
        // 60 is a limit the car takes (55–100 in fives), so it stops there by itself; 62 is not, so the window ends it.
        var carLimit = bed.Renault.Vehicle(RenaultCloud.DemoRenault5Vin).SocTarget;
        Assert.Equal(target % 5 == 0 ? target : 100, carLimit);
        Assert.Contains(target % 5 == 0 ? "own charge limit" : "window's end", applied.Applied);
    }

    private Task<TestBed> StartBedAsync() =>
        TestBed.StartAsync(new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = 60, CarTimeZone = Paris });

    private static async Task<GatewayServices> StartChargingAsync(TestBed bed)
    {
        var tariff = bed.Data.File("agile.json");
        await AgilePrices.WriteAsync(tariff, Start, Prices);
        return GatewayServices.Compose(bed, Makers.Renault, InParisOverAdapters(new Dictionary<string, string?> { ["Tariff:Url"] = tariff }));
    }
}
