using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using EvGateway.Simulator.Cars;
using EvGateway.Simulator.Renault;
using static EvGateway.Tests.TestSupport.RenaultSimulatorSession;

namespace EvGateway.Tests.Simulator.Renault;

/// <summary>
/// The KCM ev/settings charge window of the Renault 5 family and the Master E-Tech, driven over HTTP in simulated
/// time. The fake clock starts on Wednesday 2026-11-25 at 20:00 UTC.
/// </summary>
public class RenaultEvSettingsTests
{
    private const string Renault5Vin = "VF1R5E00012345601";
    private const string MasterVin = "VF1MA000012345602";
    private static readonly CarSpec Renault5 = new("Renault 5", CapacityKwh: 52, ChargePowerKw: 7.4, ConsumptionKwhPer100Km: 15);
    private static readonly CarSpec Master = new("Master E-Tech", CapacityKwh: 87, ChargePowerKw: 11, ConsumptionKwhPer100Km: 30);
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");

    [Fact]
    public async Task A_new_car_reports_the_default_ev_settings()
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        AddCar(session, Renault5Vin, "R5E1VE", Renault5);

        var settings = await EvSettingsAsync(session, jwt, Renault5Vin);

        Assert.Equal("ALWAYS", (string)settings["chargeModeRq"]!);
        Assert.Equal("23:00", (string)settings["chargeTimeStart"]!);
        Assert.Equal(480, (int)settings["chargeDuration"]!);
        Assert.Empty(settings["programs"]!.AsArray());
        Assert.False((bool)settings["delegatedActivated"]!);
        Assert.Equal(20.0, (double)settings["preconditioningTemperature"]!);
        Assert.Equal("2026-11-25T20:00:00.000Z", (string)settings["lastSettingsUpdateTimestamp"]!);
    }

    [Fact]
    public async Task A_scheduled_Renault_5_charges_only_inside_its_daily_window()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: TimeZoneInfo.Utc);
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, Renault5Vin, "R5E1VE", Renault5, level: 40, plugged: true);

        using var scheduled = await PostEvSettingsAsync(session, jwt, Renault5Vin,
            """{"chargeModeRq":"SCHEDULED","chargeTimeStart":"22:00","chargeDuration":120}""");
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);
        Assert.False(car.Read().Charging);

        AdvanceTo(session, "2026-11-25T21:59:00Z");
        Assert.False(car.Read().Charging);

        AdvanceTo(session, "2026-11-25T22:01:00Z");
        Assert.True(car.Read().Charging);

        AdvanceTo(session, "2026-11-26T00:01:00Z");
        Assert.False(car.Read().Charging);

        AdvanceTo(session, "2026-11-26T22:01:00Z");
        Assert.True(car.Read().Charging);
    }

    [Fact]
    public async Task A_window_across_midnight_follows_the_wall_clock_of_the_car_time_zone()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: Paris);
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, Renault5Vin, "R5E1VE", Renault5, level: 40, plugged: true);

        // 23:30 for two hours in Paris (UTC+1 in November) is 22:30 to 00:30 UTC.
        using var scheduled = await PostEvSettingsAsync(session, jwt, Renault5Vin,
            """{"chargeModeRq":"SCHEDULED","chargeTimeStart":"23:30","chargeDuration":120}""");
        Assert.Equal(HttpStatusCode.OK, scheduled.StatusCode);

        AdvanceTo(session, "2026-11-25T22:29:00Z");
        Assert.False(car.Read().Charging);

        AdvanceTo(session, "2026-11-25T22:31:00Z");
        Assert.True(car.Read().Charging);

        AdvanceTo(session, "2026-11-26T00:29:00Z");
        Assert.True(car.Read().Charging);

        AdvanceTo(session, "2026-11-26T00:31:00Z");
        Assert.False(car.Read().Charging);
    }

    [Fact]
    public async Task Entering_scheduled_mode_stops_a_charge_outside_the_window_and_a_window_moved_over_now_starts_it()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: TimeZoneInfo.Utc);
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, Renault5Vin, "R5E1VE", Renault5, level: 40, plugged: true, charging: true);

        using var outside = await PostEvSettingsAsync(session, jwt, Renault5Vin,
            """{"chargeModeRq":"SCHEDULED","chargeTimeStart":"22:00","chargeDuration":120}""");
        Assert.False(car.Read().Charging);

        using var moved = await PostEvSettingsAsync(session, jwt, Renault5Vin, """{"chargeTimeStart":"19:30"}""");
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.True(car.Read().Charging);

        AdvanceTo(session, "2026-11-25T21:31:00Z");
        Assert.False(car.Read().Charging);
    }

    [Fact]
    public async Task A_window_of_a_day_or_more_keeps_a_scheduled_car_charging_around_the_clock()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: TimeZoneInfo.Utc);
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, Renault5Vin, "A5E1AE", Renault5, level: 10, plugged: true);

        using var recorded = await PostEvSettingsAsync(session, jwt, Renault5Vin,
            """{"chargeModeRq":"SCHEDULED","chargeTimeStart":"00:00","chargeDuration":9000}""");
        Assert.Equal(HttpStatusCode.OK, recorded.StatusCode);
        Assert.True(car.Read().Charging);

        AdvanceTo(session, "2026-11-26T01:00:00Z");
        Assert.True(car.Read().Charging);
    }

    [Fact]
    public async Task Switching_a_Renault_5_to_ALWAYS_starts_the_plugged_car_at_once()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: TimeZoneInfo.Utc);
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, Renault5Vin, "A4E1VE", Renault5, level: 40, plugged: true);
        using var scheduled = await PostEvSettingsAsync(session, jwt, Renault5Vin,
            """{"chargeModeRq":"SCHEDULED","chargeTimeStart":"22:00","chargeDuration":120}""");
        Assert.False(car.Read().Charging);

        // The recorded charge-start body of the MyRenault app.
        using var always = await PostEvSettingsAsync(session, jwt, Renault5Vin, """{"chargeModeRq":"ALWAYS","programs":[]}""");

        Assert.Equal(HttpStatusCode.OK, always.StatusCode);
        Assert.Equal("ALWAYS", (string)(await BodyAsync(always))["chargeModeRq"]!);
        Assert.True(car.Read().Charging);
        AdvanceTo(session, "2026-11-26T00:01:00Z");
        Assert.True(car.Read().Charging);
    }

    [Theory]
    [InlineData("""{"chargeTimeStart":"24:00"}""", "/chargeTimeStart")]
    [InlineData("""{"chargeTimeStart":"7:30"}""", "/chargeTimeStart")]
    [InlineData("""{"chargeTimeStart":"07:60"}""", "/chargeTimeStart")]
    [InlineData("""{"chargeTimeStart":"T07:30Z"}""", "/chargeTimeStart")]
    [InlineData("""{"chargeTimeStart":730}""", "/chargeTimeStart")]
    [InlineData("""{"chargeTimeStart":null}""", "/chargeTimeStart")]
    [InlineData("""{"chargeDuration":0}""", "/chargeDuration")]
    [InlineData("""{"chargeDuration":-60}""", "/chargeDuration")]
    [InlineData("""{"chargeDuration":"480"}""", "/chargeDuration")]
    [InlineData("""{"chargeDuration":90.5}""", "/chargeDuration")]
    [InlineData("""{"programs":{}}""", "/programs")]
    [InlineData("""{"programs":null}""", "/programs")]
    [InlineData("""{"chargeModeRq":"LATER"}""", "/chargeModeRq")]
    [InlineData("""{"chargeModeRq":"SCHEDULED","chargeTimeStart":"22:00","chargeDuration":0}""", "/chargeDuration")]
    public async Task Invalid_ev_settings_answer_400_naming_the_field_and_change_nothing(string body, string pointer)
    {
        await using var session = await StartAsync();
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, Renault5Vin, "R5E1VE", Renault5, level: 40, plugged: true, charging: true);

        using var rejected = await PostEvSettingsAsync(session, jwt, Renault5Vin, body);

        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.Equal("err.func.400", await ErrorCodeAsync(rejected));
        var detail = JsonNode.Parse((string)(await BodyAsync(rejected))["errors"]![0]!["errorMessage"]!)!["errors"]![0]!;
        Assert.Equal(pointer, (string)detail["source"]!["pointer"]!);
        Assert.Contains(pointer.TrimStart('/'), (string)detail["detail"]!, StringComparison.Ordinal);
        var stored = await EvSettingsAsync(session, jwt, Renault5Vin);
        Assert.Equal("ALWAYS", (string)stored["chargeModeRq"]!);
        Assert.Equal("23:00", (string)stored["chargeTimeStart"]!);
        Assert.Equal(480, (int)stored["chargeDuration"]!);
        Assert.Empty(stored["programs"]!.AsArray());
        Assert.True(car.Read().Charging);
    }

    [Fact]
    public async Task Departure_programs_round_trip_unchanged_and_fields_left_out_keep_their_value()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: TimeZoneInfo.Utc);
        var jwt = await session.LoggedInJwtAsync();
        AddCar(session, Renault5Vin, "R5E1VE", Renault5);
        var sent = JsonNode.Parse(RecordedMultiProgramSettings)!.AsObject();

        using var posted = await PostEvSettingsAsync(session, jwt, Renault5Vin, RecordedMultiProgramSettings);
        session.Time.Advance(TimeSpan.FromMinutes(5));
        using var durationOnly = await PostEvSettingsAsync(session, jwt, Renault5Vin, """{"chargeDuration":60}""");
        var stored = await EvSettingsAsync(session, jwt, Renault5Vin);

        Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        Assert.True(JsonNode.DeepEquals(sent["programs"], (await BodyAsync(posted))["programs"]));
        Assert.Equal(HttpStatusCode.OK, durationOnly.StatusCode);
        Assert.True(JsonNode.DeepEquals(sent["programs"], stored["programs"]));
        Assert.Equal("SCHEDULED", (string)stored["chargeModeRq"]!);
        Assert.Equal("23:59", (string)stored["chargeTimeStart"]!);
        Assert.Equal(60, (int)stored["chargeDuration"]!);
        Assert.Equal(19, (int)stored["preconditioningTemperature"]!);
        Assert.True((bool)stored["preconditioningHeatedStrgWheel"]!);
        Assert.Equal("2026-11-25T20:05:00.000Z", (string)stored["lastSettingsUpdateTimestamp"]!);
    }

    [Fact]
    public async Task The_Master_charge_mode_action_and_its_ev_settings_are_one_setting()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: TimeZoneInfo.Utc);
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, MasterVin, "XDD1VE", Master, level: 30, plugged: true, charging: true);
        var chargeModeAction = CarPath(MasterVin, "v1", "actions/charge-mode");

        using var scheduleMode = await session.KamereonPostAsync(chargeModeAction, jwt, Action("ChargeMode", new { action = "schedule_mode" }));

        Assert.Equal(HttpStatusCode.OK, scheduleMode.StatusCode);
        Assert.Equal("SCHEDULED", (string)(await EvSettingsAsync(session, jwt, MasterVin))["chargeModeRq"]!);
        Assert.Equal("scheduled", (string)(await session.AttributesAsync(CarPath(MasterVin, "v1", "charge-mode"), jwt))["chargeMode"]!);
        Assert.Equal("scheduled", (string)(await session.AttributesAsync(CarPath(MasterVin, "v1", "charging-settings"), jwt))["mode"]!);

        // The default window opens at 23:00: schedule_mode stops the charge until then.
        Assert.False(car.Read().Charging);
        AdvanceTo(session, "2026-11-25T23:01:00Z");
        Assert.True(car.Read().Charging);

        using var always = await PostEvSettingsAsync(session, jwt, MasterVin, """{"chargeModeRq":"ALWAYS"}""");
        Assert.Equal("always", (string)(await session.AttributesAsync(CarPath(MasterVin, "v1", "charge-mode"), jwt))["chargeMode"]!);
        Assert.Equal("always", (string)(await session.AttributesAsync(CarPath(MasterVin, "v1", "charging-settings"), jwt))["mode"]!);

        using var scheduledAgain = await PostEvSettingsAsync(session, jwt, MasterVin, """{"chargeModeRq":"SCHEDULED"}""");
        Assert.Equal("scheduled", (string)(await session.AttributesAsync(CarPath(MasterVin, "v1", "charge-mode"), jwt))["chargeMode"]!);

        using var alwaysCharging = await session.KamereonPostAsync(chargeModeAction, jwt, Action("ChargeMode", new { action = "always_charging" }));
        Assert.Equal(HttpStatusCode.OK, alwaysCharging.StatusCode);
        Assert.Equal("ALWAYS", (string)(await EvSettingsAsync(session, jwt, MasterVin))["chargeModeRq"]!);
    }

    [Fact]
    public async Task A_plugged_car_waiting_for_its_window_reports_charging_status_0_1()
    {
        await using var session = await StartAsync(jwtLifetime: TimeSpan.FromDays(3), carTimeZone: TimeZoneInfo.Utc);
        var jwt = await session.LoggedInJwtAsync();
        var car = AddCar(session, Renault5Vin, "R5E1VE", Renault5, level: 40, plugged: true);
        var batteryStatus = CarPath(Renault5Vin, "v2", "battery-status");
        Assert.Equal(0.0, (double)(await session.AttributesAsync(batteryStatus, jwt))["chargingStatus"]!);

        using var scheduled = await PostEvSettingsAsync(session, jwt, Renault5Vin,
            """{"chargeModeRq":"SCHEDULED","chargeTimeStart":"22:00","chargeDuration":120}""");
        var waiting = await session.AttributesAsync(batteryStatus, jwt);
        car.Plug(false);
        var unplugged = await session.AttributesAsync(batteryStatus, jwt);
        car.Plug(true);
        AdvanceTo(session, "2026-11-25T22:01:00Z");
        var charging = await session.AttributesAsync(batteryStatus, jwt);

        // Stopped by hand inside the open window, the car waits for nothing and stays stopped until the next edge.
        car.StopCharging();
        AdvanceTo(session, "2026-11-25T23:00:00Z");
        var stoppedInWindow = await session.AttributesAsync(batteryStatus, jwt);
        AdvanceTo(session, "2026-11-26T00:01:00Z");
        var waitingForTomorrow = await session.AttributesAsync(batteryStatus, jwt);

        Assert.Equal(0.1, (double)waiting["chargingStatus"]!);
        Assert.Equal(1, (int)waiting["plugStatus"]!);
        Assert.Equal(0.0, (double)unplugged["chargingStatus"]!);
        Assert.Equal(1.0, (double)charging["chargingStatus"]!);
        Assert.Equal(0.0, (double)stoppedInWindow["chargingStatus"]!);
        Assert.Equal(0.1, (double)waitingForTomorrow["chargingStatus"]!);
    }

    // ev-settings.multi.active.json as the app posts it back, with the start moved to the last minute of the day.
    private const string RecordedMultiProgramSettings = """
        {
          "delegatedActivated": false,
          "chargeModeRq": "SCHEDULED",
          "chargeTimeStart": "23:59",
          "chargeDuration": 300,
          "preconditioningTemperature": 19,
          "preconditioningHeatedStrgWheel": true,
          "preconditioningHeatedRightSeat": false,
          "preconditioningHeatedLeftSeat": false,
          "programs": [
            {
              "programActivationStatus": true,
              "programType": "CHARGE",
              "programDepartureTime": "07:30",
              "programActivationMonday": true,
              "programActivationTuesday": true,
              "programActivationWednesday": false,
              "programActivationThursday": false,
              "programActivationFriday": true,
              "programActivationSaturday": false,
              "programActivationSunday": false
            },
            {
              "programActivationStatus": true,
              "programType": "PRECONDITIONING",
              "programDepartureTime": "08:30",
              "programActivationMonday": false,
              "programActivationTuesday": false,
              "programActivationWednesday": false,
              "programActivationThursday": true,
              "programActivationFriday": false,
              "programActivationSaturday": false,
              "programActivationSunday": false
            },
            {
              "programActivationStatus": true,
              "programType": "CHARGE_AND_PRECONDITIONING",
              "programDepartureTime": "10:50",
              "programActivationMonday": false,
              "programActivationTuesday": false,
              "programActivationWednesday": true,
              "programActivationThursday": false,
              "programActivationFriday": false,
              "programActivationSaturday": true,
              "programActivationSunday": false
            }
          ]
        }
        """;

    private static SimulatedCar AddCar(RenaultSimulatorSession session, string vin, string modelCode, CarSpec spec, double level = 50,
        bool plugged = false, bool charging = false) =>
        session.Cloud.AddVehicle(RenaultCloud.DemoRenaultAccountId, vin, modelCode, spec, level: level, plugged: plugged, charging: charging).Car;

    private static Task<HttpResponseMessage> PostEvSettingsAsync(RenaultSimulatorSession session, string jwt, string vin, string json) =>
        session.KamereonPostAsync(KcmPath(vin, "ev/settings"), jwt, JsonNode.Parse(json)!);

    private static async Task<JsonObject> EvSettingsAsync(RenaultSimulatorSession session, string jwt, string vin)
    {
        using var response = await session.KamereonGetAsync(KcmPath(vin, "ev/settings"), jwt);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await BodyAsync(response);
    }

    private static void AdvanceTo(RenaultSimulatorSession session, string instant) =>
        session.Time.Advance(DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture) - session.Time.GetUtcNow());
}
