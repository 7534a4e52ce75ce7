using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Charging;

/// <summary>Charge schedules through the real Renault adapter against the simulated Kamereon cloud.</summary>
public sealed class RenaultChargeScheduleTests : IDisposable
{
    private readonly TemporaryDirectory data = new();

    public void Dispose() => data.Dispose();

    private async Task<(CloudSimulator Simulator, ChargingTestHost Host)> StartAsync(FakeTimeProvider time)
    {
        var simulator = await CloudSimulator.StartAsync(new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = 10_000 },
            TestContext.Current.CancellationToken);
        var settings = new Dictionary<string, string?>
        {
            ["Renault:Username"] = RenaultCloud.DemoUsername,
            ["Renault:Password"] = RenaultCloud.DemoPassword,
            ["Renault:GigyaUrl"] = simulator.Renault.GigyaUrl.ToString(),
            ["Renault:KamereonUrl"] = simulator.Renault.KamereonUrl.ToString(),
            ["Renault:RetryDelayMilliseconds"] = "0",
            ["Renault:RequestTimeoutSeconds"] = "60",
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var host = await ChargingTestHost.StartAsync(time, data.Path, [], settings, services => services.AddRenault(configuration));
        return (simulator, host);
    }

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_valid_schedule_round_trips_through_the_car_unchanged_across_the_clock_change()
    {
        // Friday 27 March 2026, two days before Paris moves to summer time.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-27T12:00:00Z"));
        var (simulator, host) = await StartAsync(time);
        await using var _ = simulator;
        await using var __ = host;
        const string body = """
            {"mode":"scheduled","schedules":[
              {"id":1,"active":true,"days":{"friday":{"start":"22:30","end":"06:00"},"sunday":{"start":"01:00","end":"01:45"},"monday":{"start":"22:30","end":"06:30"}}},
              {"id":2,"active":false,"days":{"saturday":{"start":"12:00","end":"14:00"}}}]}
            """;

        var put = await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/charge-schedule", Json(body),
            TestContext.Current.CancellationToken);
        var read = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/charge-schedule",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("scheduled", read.GetProperty("mode").GetString());
        var first = read.GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("id").GetInt32() == 1);
        Assert.True(first.GetProperty("active").GetBoolean());
        foreach (var (day, start, end) in new[] { ("friday", "22:30", "06:00"), ("sunday", "01:00", "01:45"), ("monday", "22:30", "06:30") })
        {
            Assert.Equal(start, first.GetProperty("days").GetProperty(day).GetProperty("start").GetString());
            Assert.Equal(end, first.GetProperty("days").GetProperty(day).GetProperty("end").GetString());
        }

        var second = read.GetProperty("schedules").EnumerateArray().Single(s => s.GetProperty("id").GetInt32() == 2);
        Assert.False(second.GetProperty("active").GetBoolean());
        Assert.Equal("12:00", second.GetProperty("days").GetProperty("saturday").GetProperty("start").GetString());
    }

    [Fact]
    public async Task The_car_charges_inside_its_scheduled_period_and_not_before()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        var (simulator, host) = await StartAsync(time);
        await using var _ = simulator;
        await using var __ = host;
        // Wednesday 25 November: 23:00–01:00 Paris time is 22:00–00:00 UTC.
        const string body = """{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"wednesday":{"start":"23:00","end":"01:00"}}}]}""";

        var put = await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/charge-schedule", Json(body),
            TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromHours(1.5));
        var before = await StatusAsync(host);
        time.Advance(TimeSpan.FromHours(1));
        var during = await StatusAsync(host);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.NotEqual(ChargeState.Charging, before.ChargeState);
        Assert.Equal(ChargeState.Charging, during.ChargeState);
        Assert.True(during.BatteryLevel > before.BatteryLevel);
    }

    [Theory]
    [InlineData(RenaultCloud.DemoZoePhase2Vin)]
    [InlineData(RenaultCloud.DemoSpringVin)]
    public async Task A_model_without_schedules_is_refused_with_501_before_any_call(string vin)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        var (simulator, host) = await StartAsync(time);
        await using var _ = simulator;
        await using var __ = host;

        var read = await host.Client.GetAsync($"/api/vehicles/{vin}/charge-schedule", TestContext.Current.CancellationToken);
        var write = await host.Client.PutAsync($"/api/vehicles/{vin}/charge-schedule",
            Json("""{"mode":"always","schedules":[]}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotImplemented, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotImplemented, write.StatusCode);
    }

    private static async Task<VehicleStatus> StatusAsync(ChargingTestHost host)
    {
        var directory = (VehicleDirectory)host.Services.GetService(typeof(VehicleDirectory))!;
        var entry = await directory.FindAsync(RenaultCloud.DemoZoePhase1Vin, TestContext.Current.CancellationToken);
        return await entry.Provider.GetStatusAsync(entry.Vehicle, TestContext.Current.CancellationToken);
    }
}
