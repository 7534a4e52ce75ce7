using System.Text.Json;
using System.Text.Json.Nodes;
using EvGateway.Legacy;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Legacy;

public class LegacyStatusShapeTests
{
    // The body psa_car_controller sends (protocols/legacy-http-api.md); clients index into it.
    private const string OldBridgeBody = """
        {
          "embedded": null, "links": {}, "battery": {"current": null, "voltage": 91.5}, "doors_state": null,
          "energy": [
            {"type": "Electric", "level": 74.0, "autonomy": 240.0, "residual": null, "consumption": null,
             "updated_at": "2026-07-08 15:49:03+00:00", "created_at": "2026-07-08 15:49:03+00:00",
             "battery": {"capacity": null, "health": {"capacity": null, "resistance": 100.0}},
             "charging": {"plugged": false, "status": "Disconnected", "remaining_time": null, "charging_rate": 0,
                          "charging_mode": "No", "next_delayed_time": "PT3H45M"}}
          ],
          "environment": {}, "ignition": {"type": "Stop"}, "kinetic": {"moving": false},
          "last_position": {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.2945, 48.8584, 1093.0]},
                            "properties": {"heading": 341.0, "signal_quality": 9.0, "type": "Acquire", "updated_at": "2026-06-08 16:50:01+00:00"}},
          "preconditionning": {"air_conditioning": {"status": "Disabled"}}, "privacy": {"state": "None"}, "safety": null,
          "service": {"type": "Electric", "updated_at": null},
          "timed_odometer": {"mileage": 42894.1, "updated_at": "2026-07-08 15:49:03+00:00"}
        }
        """;

    private static readonly Vehicle Car = new("VR3UHZKXZLT123456", "Psa", "Peugeot", "e-208", null,
        new HashSet<VehicleCapability> { VehicleCapability.BatteryStatus, VehicleCapability.Location, VehicleCapability.Odometer }, 46);

    private static readonly VehicleStatus Status = new()
    {
        Vin = Car.Vin,
        Brand = "Peugeot",
        Model = "e-208",
        BatteryLevel = 74,
        RangeKm = 240,
        PlugState = PlugState.Unplugged,
        ChargeState = ChargeState.NotCharging,
        OdometerKm = 42894.1,
        AuxBatteryLevel = 91.5,
        NextDelayedChargeStart = new TimeOnly(3, 45),
        Location = new VehicleLocation(48.8584, 2.2945, 1093, DateTimeOffset.Parse("2026-06-08T16:50:01Z")),
        Climate = new ClimateStatus(false),
        Moving = false,
        UpdatedAt = DateTimeOffset.Parse("2026-07-08T15:49:03Z"),
        FetchedAt = DateTimeOffset.Parse("2026-07-08T15:50:00Z"),
    };

    [Fact]
    public void Every_key_of_the_old_bridge_body_is_present_with_the_same_kind_of_value()
    {
        var expected = JsonNode.Parse(OldBridgeBody)!;
        var actual = JsonSerializer.SerializeToNode(LegacyStatus.From(Status, Car), LegacyJson.Options)!;

        var missing = new List<string>();
        CompareShape(expected, actual, "$", missing);

        Assert.Empty(missing);
    }

    [Theory]
    [InlineData("energy[0].level", "74")]
    [InlineData("energy[0].autonomy", "240")]
    [InlineData("energy[0].updated_at", "\"2026-07-08 15:49:03+00:00\"")]
    [InlineData("energy[0].charging.status", "\"Disconnected\"")]
    [InlineData("energy[0].charging.plugged", "false")]
    [InlineData("energy[0].charging.remaining_time", "null")]
    [InlineData("energy[0].charging.charging_mode", "\"No\"")]
    [InlineData("energy[0].charging.next_delayed_time", "\"PT3H45M\"")]
    [InlineData("timed_odometer.mileage", "42894.1")]
    [InlineData("battery.voltage", "91.5")]
    [InlineData("service.type", "\"Electric\"")]
    [InlineData("last_position.geometry.coordinates", "[2.2945,48.8584,1093]")]
    [InlineData("last_position.properties.updated_at", "\"2026-06-08 16:50:01+00:00\"")]
    [InlineData("preconditionning.air_conditioning.status", "\"Disabled\"")]
    [InlineData("ignition.type", "\"Stop\"")]
    public void Values_map_field_by_field(string path, string json)
    {
        var actual = JsonSerializer.SerializeToNode(LegacyStatus.From(Status, Car), LegacyJson.Options)!;

        Assert.Equal(json, At(actual, path)?.ToJsonString(LegacyJson.Options) ?? "null");
    }

    [Fact]
    public void A_charging_car_reports_InProgress_and_its_remaining_time_as_an_ISO_duration()
    {
        var charging = Status with { PlugState = PlugState.Plugged, ChargeState = ChargeState.Charging, ChargeRemainingMinutes = 85, ChargePowerKw = 7.4 };

        var body = JsonSerializer.SerializeToNode(LegacyStatus.From(charging, Car), LegacyJson.Options)!;

        Assert.Equal("InProgress", At(body, "energy[0].charging.status")!.GetValue<string>());
        Assert.Equal("PT1H25M", At(body, "energy[0].charging.remaining_time")!.GetValue<string>());
        Assert.Equal("Slow", At(body, "energy[0].charging.charging_mode")!.GetValue<string>());
        Assert.True(At(body, "energy[0].charging.charging_rate")!.GetValue<double>() > 0);
    }

    [Fact]
    public void A_charge_rate_the_car_reports_is_passed_through_as_is()
    {
        var charging = Status with { PlugState = PlugState.Plugged, ChargeState = ChargeState.Charging, ChargeRateKmPerHour = 20 };

        var body = JsonSerializer.SerializeToNode(LegacyStatus.From(charging, Car), LegacyJson.Options)!;

        Assert.Equal(20, At(body, "energy[0].charging.charging_rate")!.GetValue<double>());
    }

    [Fact]
    public void A_car_without_a_traction_battery_reports_a_Fuel_service_and_no_energy_entry()
    {
        var clio = Car with { Capabilities = new HashSet<VehicleCapability> { VehicleCapability.Odometer, VehicleCapability.Location }, BatteryCapacityKwh = null };

        var body = JsonSerializer.SerializeToNode(LegacyStatus.From(Status, clio), LegacyJson.Options)!;

        Assert.Equal("Fuel", At(body, "service.type")!.GetValue<string>());
        Assert.Empty(body["energy"]!.AsArray());
    }

    [Theory]
    [InlineData(85, "PT1H25M")]
    [InlineData(45, "PT45M")]
    [InlineData(120, "PT2H")]
    [InlineData(0, "PT0M")]
    public void Durations_are_written_the_PSA_way(int minutes, string expected) =>
        Assert.Equal(expected, LegacyStatus.IsoDuration(TimeSpan.FromMinutes(minutes)));

    private static void CompareShape(JsonNode? expected, JsonNode? actual, string path, List<string> problems)
    {
        switch (expected)
        {
            case JsonObject expectedObject when actual is JsonObject actualObject:
                foreach (var (key, value) in expectedObject)
                {
                    if (!actualObject.ContainsKey(key))
                    {
                        problems.Add($"{path}.{key} is missing");
                    }
                    else if (value is not null && actualObject[key] is not null)
                    {
                        CompareShape(value, actualObject[key], $"{path}.{key}", problems);
                    }
                }

                break;
            case JsonArray expectedArray when actual is JsonArray actualArray:
                if (expectedArray.Count > 0 && actualArray.Count > 0)
                {
                    CompareShape(expectedArray[0], actualArray[0], $"{path}[0]", problems);
                }

                break;
            case JsonValue when actual is JsonValue:
                if (expected.GetValueKind() != actual.GetValueKind())
                {
                    problems.Add($"{path} is {actual.GetValueKind()}, expected {expected.GetValueKind()}");
                }

                break;
            case null:
                break;
            default:
                problems.Add($"{path} is {actual?.GetValueKind().ToString() ?? "null"}, expected {expected.GetValueKind()}");
                break;
        }
    }

    private static JsonNode? At(JsonNode root, string path)
    {
        JsonNode? node = root;
        foreach (var part in path.Split('.'))
        {
            var name = part.Split('[')[0];
            node = node?[name];
            if (part.Contains('['))
            {
                node = node?[int.Parse(part.Split('[')[1].TrimEnd(']'))];
            }
        }

        return node;
    }
}
