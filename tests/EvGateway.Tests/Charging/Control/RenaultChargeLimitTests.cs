using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Control;

/// <summary>
/// Charge control on the Renault cars that cannot be stopped remotely but keep a charge limit of their own (KCM
/// ev/soc-levels), through the real adapter against the simulated cloud.
/// </summary>
public sealed class RenaultChargeLimitTests
{
    private const string Vin = RenaultCloud.DemoRenault5Vin;
    private readonly FakeTimeProvider time = new(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));

    private Task<GatewayApp> StartAsync() => GatewayApp.StartAsync(InParisOverAdapters(),
        new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = 10_000, CarTimeZone = TimeZoneInfo.Utc }, Makers.Renault);

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_threshold_on_a_renault_5_becomes_its_own_charge_limit_and_the_car_stops_there()
    {
        await using var rig = await StartAsync();
        var (simulator, host) = (rig.Simulator, rig);
        var car = simulator.Renault.Car(Vin);
        var chargingAtFirst = car.Read().Charging;

        var put = await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-control", Json("""{"percentageThreshold":60}"""),
            TestContext.Current.CancellationToken);
        // 35 % → 60 % of 52 kWh at 11 kW takes 71 minutes.
        time.Advance(TimeSpan.FromMinutes(60));
        var onTheWay = car.Read();
        time.Advance(TimeSpan.FromMinutes(60));
        var after = car.Read();
        var view = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{Vin}/charge-control", TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(chargingAtFirst);
        Assert.Equal(60, simulator.Renault.Vehicle(Vin).SocTarget);
        Assert.True(onTheWay.Charging);
        Assert.False(after.Charging);
        Assert.InRange(after.Level, 60, 60.99);
        Assert.Equal(60, view.GetProperty("percentageThreshold").GetInt32());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("lastError").ValueKind);
    }

    [Theory]
    [InlineData(83)]
    [InlineData(50)]
    public async Task A_threshold_the_car_cannot_take_is_a_400_naming_the_field_and_nothing_is_sent(int threshold)
    {
        await using var rig = await StartAsync();
        var (simulator, host) = (rig.Simulator, rig);

        var put = await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-control", Json($$"""{"percentageThreshold":{{threshold}}}"""),
            TestContext.Current.CancellationToken);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.StartsWith("percentageThreshold:", problem.GetProperty("detail").GetString());
        Assert.Contains("steps of 5", problem.GetProperty("detail").GetString());
        Assert.Equal(0, simulator.Renault.CallCount("soc-levels"));
        Assert.Equal(100, simulator.Renault.Vehicle(Vin).SocTarget);
    }

    [Fact]
    public async Task A_stop_time_on_a_car_that_cannot_be_stopped_is_501()
    {
        await using var rig = await StartAsync();
        var (simulator, host) = (rig.Simulator, rig);

        var put = await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-control", Json("""{"percentageThreshold":80,"stopAt":"22:30"}"""),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotImplemented, put.StatusCode);
        Assert.Equal(0, simulator.Renault.CallCount("soc-levels"));
    }

    [Fact]
    public async Task Clearing_the_threshold_lifts_the_cars_limit()
    {
        await using var rig = await StartAsync();
        var (simulator, host) = (rig.Simulator, rig);
        await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-control", Json("""{"percentageThreshold":80}"""), TestContext.Current.CancellationToken);
        var limited = simulator.Renault.Vehicle(Vin).SocTarget;

        var put = await host.Client.PutAsync($"/api/vehicles/{Vin}/charge-control", Json("""{"percentageThreshold":100}"""),
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(80, limited);
        Assert.Equal(100, simulator.Renault.Vehicle(Vin).SocTarget);
    }
}
