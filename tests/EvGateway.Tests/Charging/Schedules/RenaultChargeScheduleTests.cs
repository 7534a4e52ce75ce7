using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvGateway.Manufacturers.Renault;
using EvGateway.Simulator;
using EvGateway.Simulator.Renault;
using EvGateway.Vehicles;
using Microsoft.Extensions.Time.Testing;
using static EvGateway.Tests.TestSupport.ChargingSettings;

namespace EvGateway.Tests.Charging.Schedules;

/// <summary>Charge schedules through the real Renault adapter against the simulated Kamereon cloud.</summary>
public sealed class RenaultChargeScheduleTests
{
    private const string MasterVin = "VF1MA000071000006";
    // A Master E-Tech on the demo account, plugged in and not charging, next to the demo cars.
    private static Task<GatewayApp> StartAsync(FakeTimeProvider time) =>
        GatewayApp.StartAsync(InParisOverAdapters(), new SimulatorOptions { TimeProvider = time, RenaultCallsPerHour = 10_000, CarTimeZone = Paris },
            Makers.Renault, simulator => simulator.Renault.AddVehicle(RenaultCloud.DemoRenaultAccountId, MasterVin, "XDD1VE",
                RenaultCarSpecs.MasterETech, "MASTER", level: 40, plugged: true));

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_valid_schedule_round_trips_through_the_car_unchanged_across_the_clock_change()
    {
        // Friday 27 March 2026, two days before Paris moves to summer time.
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-03-27T12:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);
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
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);
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

    [Fact]
    public async Task A_mode_only_request_switches_the_mode_and_keeps_the_schedules()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);
        await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/charge-schedule",
            Json("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"tuesday":{"start":"23:00","end":"05:00"}}}]}"""),
            TestContext.Current.CancellationToken);

        var put = await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/charge-schedule", Json("""{"mode":"always"}"""),
            TestContext.Current.CancellationToken);
        var read = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/charge-schedule",
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("always", read.GetProperty("mode").GetString());
        var tuesday = read.GetProperty("schedules")[0].GetProperty("days").GetProperty("tuesday");
        Assert.Equal(("23:00", "05:00"), (tuesday.GetProperty("start").GetString(), tuesday.GetProperty("end").GetString()));
        Assert.False(simulator.Renault.Vehicle(RenaultCloud.DemoZoePhase1Vin).ScheduleMode);
    }

    [Theory]
    [InlineData(RenaultCloud.DemoZoePhase2Vin)]
    [InlineData(RenaultCloud.DemoSpringVin)]
    public async Task A_model_without_schedules_is_refused_with_501_before_any_call(string vin)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);

        var read = await host.Client.GetAsync($"/api/vehicles/{vin}/charge-schedule", TestContext.Current.CancellationToken);
        var write = await host.Client.PutAsync($"/api/vehicles/{vin}/charge-schedule",
            Json("""{"mode":"always","schedules":[]}"""), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.NotImplemented, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotImplemented, write.StatusCode);
    }

    [Fact]
    public async Task A_Renault_5_daily_window_round_trips_in_local_time_and_keeps_the_owners_departure_programs()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);
        var evSettings = (EvSettingsClient)host.Services.GetService(typeof(EvSettingsClient))!;
        const string account = RenaultCloud.DemoRenaultAccountId;
        const string program = """{"programActivationStatus":true,"programType":"CHARGE","programDepartureTime":"07:30","programActivationMonday":true}""";
        await evSettings.UpdateAsync(account, RenaultCloud.DemoRenault5Vin, "seed", s => s["programs"] = JsonNode.Parse($"[{program}]"),
            TestContext.Current.CancellationToken);

        var put = await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoRenault5Vin}/charge-schedule",
            Json("""{"mode":"scheduled","daily":{"start":"23:30","end":"06:15"}}"""), TestContext.Current.CancellationToken);
        var read = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{RenaultCloud.DemoRenault5Vin}/charge-schedule",
            TestContext.Current.CancellationToken);
        var stored = await evSettings.ReadAsync(account, RenaultCloud.DemoRenault5Vin, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(("scheduled", "daily_window", "23:30", "06:15"), (read.GetProperty("mode").GetString(), read.GetProperty("form").GetString(),
            read.GetProperty("daily").GetProperty("start").GetString(), read.GetProperty("daily").GetProperty("end").GetString()));
        Assert.Empty(read.GetProperty("schedules").EnumerateArray());
        // The car keeps wall-clock time, so the window is stored as written: 23:30 for 6 h 45 min.
        Assert.Equal(("SCHEDULED", "23:30", 405), ((string?)stored["chargeModeRq"], (string?)stored["chargeTimeStart"], (int?)stored["chargeDuration"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($"[{program}]"), stored["programs"]));
    }

    [Fact]
    public async Task A_Renault_5_in_scheduled_mode_charges_only_inside_its_daily_window()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);
        var car = simulator.Renault.Car(RenaultCloud.DemoRenault5Vin);
        var chargingAtFirst = car.Read().Charging;

        // 23:00–01:00 Paris time is 22:00–00:00 UTC; the car charges now, so entering scheduled mode stops it.
        var put = await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoRenault5Vin}/charge-schedule",
            Json("""{"mode":"scheduled","daily":{"start":"23:00","end":"01:00"}}"""), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromHours(1.5));
        var before = car.Read();
        time.Advance(TimeSpan.FromHours(1));
        var during = car.Read();
        time.Advance(TimeSpan.FromHours(2));
        var after = car.Read();

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.True(chargingAtFirst);
        Assert.False(before.Charging);
        Assert.True(during.Charging);
        Assert.True(during.Level > before.Level);
        Assert.False(after.Charging);
    }

    [Theory]
    [InlineData("""{"mode":"scheduled","daily":{"start":"23:10","end":"01:00"}}""", "quarter_hour_start", "daily")]
    [InlineData("""{"mode":"scheduled","daily":{"start":"23:00","end":"23:05"}}""", "duration_quarter_hours", "daily")]
    [InlineData("""{"mode":"scheduled","daily":{"start":"23:00"}}""", "window_end", "daily")]
    [InlineData("""{"mode":"scheduled","schedules":[{"id":1,"active":true,"days":{"monday":{"start":"23:00","end":"01:00"}}}]}""", "daily_charge", "schedules")]
    public async Task A_daily_window_the_car_would_refuse_is_a_400_naming_the_rule_and_nothing_is_sent(string body, string rule, string field)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);

        var put = await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoRenault5Vin}/charge-schedule", Json(body),
            TestContext.Current.CancellationToken);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal(rule, problem.GetProperty("rule").GetString());
        Assert.StartsWith(rule, problem.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal(0, simulator.Renault.CallCount("settings"));
    }

    [Fact]
    public async Task A_weekly_car_refuses_a_daily_time_naming_its_form()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);

        var put = await host.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoZoePhase1Vin}/charge-schedule",
            Json("""{"mode":"scheduled","daily":{"start":"23:00","end":"01:00"}}"""), TestContext.Current.CancellationToken);
        var problem = await put.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Equal("weekly_schedules", problem.GetProperty("rule").GetString());
    }

    [Fact]
    public async Task A_mode_switch_on_a_Renault_5_keeps_its_window_for_one_read_and_one_write()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        await rig.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoRenault5Vin}/charge-schedule",
            Json("""{"mode":"scheduled","daily":{"start":"01:00","end":"05:00"}}"""), TestContext.Current.CancellationToken);
        var callsBefore = rig.Simulator.Renault.CallCount("settings");

        var put = await rig.Client.PutAsync($"/api/vehicles/{RenaultCloud.DemoRenault5Vin}/charge-schedule", Json("""{"mode":"always"}"""),
            TestContext.Current.CancellationToken);
        var saved = await put.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(("always", "01:00", "05:00"), (saved.GetProperty("mode").GetString(),
            saved.GetProperty("daily").GetProperty("start").GetString(), saved.GetProperty("daily").GetProperty("end").GetString()));
        Assert.Equal(2, rig.Simulator.Renault.CallCount("settings") - callsBefore);
        Assert.False(rig.Simulator.Renault.Vehicle(RenaultCloud.DemoRenault5Vin).ScheduleMode);
    }

    [Theory]
    [InlineData(RenaultCloud.DemoRenault5Vin)]
    [InlineData(MasterVin)]
    public async Task Charge_start_switches_the_ev_settings_car_to_always_and_it_charges(string vin)
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-25T20:00:00Z"));
        await using var rig = await StartAsync(time);
        var (simulator, host) = (rig.Simulator, rig);
        // Park the car in scheduled mode outside its window so it waits, plugged in.
        await host.Client.PutAsync($"/api/vehicles/{vin}/charge-schedule",
            Json("""{"mode":"scheduled","daily":{"start":"03:00","end":"05:00"}}"""), TestContext.Current.CancellationToken);
        var waiting = simulator.Renault.Car(vin).Read();
        var commands = (VehicleCommands)host.Services.GetService(typeof(VehicleCommands))!;

        var outcome = await commands.SendAsync(vin, new VehicleCommand(VehicleCommandKind.ChargeStart), TestContext.Current.CancellationToken);
        time.Advance(TimeSpan.FromMinutes(30));
        var read = await host.Client.GetFromJsonAsync<JsonElement>($"/api/vehicles/{vin}/charge-schedule", TestContext.Current.CancellationToken);

        Assert.False(waiting.Charging);
        Assert.True(outcome.Accepted);
        Assert.True(simulator.Renault.Car(vin).Read().Charging);
        Assert.Equal("always", read.GetProperty("mode").GetString());
        // The window is kept for the next switch back to scheduled.
        Assert.Equal("03:00", read.GetProperty("daily").GetProperty("start").GetString());
    }

    private static async Task<VehicleStatus> StatusAsync(GatewayApp host)
    {
        var directory = (VehicleDirectory)host.Services.GetService(typeof(VehicleDirectory))!;
        var entry = await directory.FindAsync(RenaultCloud.DemoZoePhase1Vin, TestContext.Current.CancellationToken);
        return await entry.Provider.GetStatusAsync(entry.Vehicle, TestContext.Current.CancellationToken);
    }
}
