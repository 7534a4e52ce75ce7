using System.Text.Json;
using System.Text.Json.Nodes;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Psa;

public sealed class PsaMappingTests
{
    private static readonly DateTimeOffset FetchedAt = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

    private static readonly Vehicle E208 = new("VR3UHZKXZLT123456", "Psa", "Peugeot", "e-208", null,
        PsaVehicleCatalog.Capabilities(remoteCommands: true), 46, "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6");

    [Fact]
    public void The_charging_reference_status_maps_field_by_field()
    {
        var status = Map(PsaReferencePayloads.StatusElectricCharging);

        Assert.Equal("VR3UHZKXZLT123456", status.Vin);
        Assert.Equal("Peugeot", status.Brand);
        Assert.Equal("e-208", status.Model);
        Assert.Equal(70, status.BatteryLevel);
        Assert.Equal(192, status.RangeKm);
        Assert.Equal(PlugState.Plugged, status.PlugState);
        Assert.Equal(ChargeState.Charging, status.ChargeState);
        Assert.Equal(85, status.ChargeRemainingMinutes);
        Assert.Equal(1107.1, status.OdometerKm);
        Assert.Equal(new VehicleLocation(49.96119, 9.65457, 21, DateTimeOffset.Parse("2021-03-29T05:16:10Z")), status.Location);
        Assert.Equal(new ClimateStatus(false), status.Climate);
        Assert.Equal(99, status.AuxBatteryLevel);
        Assert.Equal(new TimeOnly(21, 30), status.NextDelayedChargeStart);
        Assert.True(status.Locked);
        Assert.False(status.Moving);
        Assert.Equal(DateTimeOffset.Parse("2021-04-01T16:17:01Z"), status.UpdatedAt);
        Assert.Equal(FetchedAt, status.FetchedAt);
        Assert.False(status.Stale);
    }

    [Fact]
    public void The_hybrid_reference_status_reads_the_electric_entry_and_the_old_preconditioning_spelling()
    {
        var status = Map(PsaReferencePayloads.StatusHybrid);

        Assert.Equal(59, status.BatteryLevel);
        Assert.Equal(122, status.RangeKm);
        Assert.Equal(PlugState.Unplugged, status.PlugState);
        Assert.Equal(ChargeState.NotCharging, status.ChargeState);
        Assert.Null(status.ChargeRemainingMinutes);
        Assert.Equal(3196.5, status.OdometerKm);
        Assert.Equal(47.274, status.Location!.Latitude);
        Assert.Equal(-1.59008, status.Location.Longitude);
        Assert.Equal(new ClimateStatus(false), status.Climate);
        Assert.Equal(83.5, status.AuxBatteryLevel);
        Assert.Equal(new TimeOnly(22, 31), status.NextDelayedChargeStart);
        Assert.Null(status.Locked);
        Assert.True(status.Moving);
    }

    [Fact]
    public void An_empty_status_maps_to_a_status_where_everything_is_unknown()
    {
        var status = Map("{}");

        Assert.Equal(E208.Vin, status.Vin);
        Assert.Null(status.BatteryLevel);
        Assert.Null(status.RangeKm);
        Assert.Equal(PlugState.Unknown, status.PlugState);
        Assert.Equal(ChargeState.Unknown, status.ChargeState);
        Assert.Null(status.OdometerKm);
        Assert.Null(status.Location);
        Assert.Null(status.Climate);
        Assert.Null(status.AuxBatteryLevel);
        Assert.Null(status.NextDelayedChargeStart);
        Assert.Null(status.Locked);
        Assert.Null(status.Moving);
        Assert.Null(status.UpdatedAt);
    }

    [Fact]
    public void Every_field_of_the_reference_statuses_can_be_missing_or_null()
    {
        var checkedVariants = 0;
        foreach (var payload in new[] { PsaReferencePayloads.StatusElectricCharging, PsaReferencePayloads.StatusHybrid })
        {
            var original = JsonNode.Parse(payload)!;
            foreach (var path in Paths(original))
            {
                foreach (var replacement in new[] { Removed, Nulled })
                {
                    var stripped = original.DeepClone();
                    replacement(stripped, path);
                    var status = Map(stripped.ToJsonString());
                    Assert.Equal(E208.Vin, status.Vin);
                    checkedVariants++;
                }
            }
        }

        Assert.True(checkedVariants > 100, $"only {checkedVariants} variants were checked");
    }

    [Fact]
    public void Fields_the_gateway_does_not_know_are_ignored()
    {
        var status = Map("""
            {"energy":[{"type":"Electric","level":42,"somethingNew":{"deep":[1,2,3]},"charging":{"status":"Finished","plugged":true,"x":1}}],
             "brandNewBlock":{"a":"b"},"odometer":{"mileage":12,"unit":"km"}}
            """);

        Assert.Equal(42, status.BatteryLevel);
        Assert.Equal(ChargeState.Ended, status.ChargeState);
        Assert.Equal(12, status.OdometerKm);
    }

    [Theory]
    [InlineData("InProgress", "PT22H30M", ChargeState.Charging)]
    [InlineData("Disconnected", "PT22H30M", ChargeState.NotCharging)]
    [InlineData("Stopped", "PT22H30M", ChargeState.Waiting)]
    [InlineData("Stopped", null, ChargeState.NotCharging)]
    [InlineData("Finished", null, ChargeState.Ended)]
    [InlineData("Failure", null, ChargeState.Error)]
    [InlineData("SomethingElse", null, ChargeState.Unknown)]
    public void Charge_states_map_to_the_gateway_vocabulary(string psaStatus, string? nextDelayedTime, ChargeState expected)
    {
        var charging = new JsonObject { ["status"] = psaStatus, ["plugged"] = true, ["nextDelayedTime"] = nextDelayedTime };
        var payload = new JsonObject { ["energy"] = new JsonArray(new JsonObject { ["type"] = "Electric", ["charging"] = charging }) };

        Assert.Equal(expected, Map(payload.ToJsonString()).ChargeState);
    }

    [Fact]
    public void Preconditioning_is_read_under_the_current_spelling_too()
    {
        var status = Map("""{"preconditioning":{"airConditioning":{"status":"Enabled"}}}""");

        Assert.Equal(new ClimateStatus(true), status.Climate);
    }

    [Fact]
    public void A_car_in_privacy_mode_reports_no_position()
    {
        var status = Map("""{"privacy":{"state":"Geolocation"},"lastPosition":{"geometry":{"coordinates":[2.1,48.3,10]}}}""");

        Assert.Null(status.Location);
    }

    [Fact]
    public void An_unlocked_car_reports_unlocked()
    {
        Assert.False(Map("""{"doorsState":{"lockedState":["Unlocked"]}}""").Locked);
    }

    [Fact]
    public void A_car_event_updates_level_range_and_charge_state_and_keeps_the_rest()
    {
        var known = Map(PsaReferencePayloads.StatusHybrid);
        var carEvent = PsaMqttJson.TryRead<PsaCarEvent>(PsaReferencePayloads.MqttEventCharge)!;
        var receivedAt = FetchedAt.AddMinutes(5);

        var merged = PsaMapping.Merge(known, carEvent, receivedAt);

        Assert.Equal(71, merged.BatteryLevel);
        Assert.Equal(195, merged.RangeKm);
        Assert.Equal(PlugState.Plugged, merged.PlugState);
        Assert.Equal(ChargeState.Charging, merged.ChargeState);
        Assert.Equal(85, merged.ChargeRemainingMinutes);
        Assert.Equal(new TimeOnly(22, 30), merged.NextDelayedChargeStart);
        Assert.Equal(DateTimeOffset.Parse("2022-03-26T11:05:12Z"), merged.UpdatedAt);
        Assert.Equal(receivedAt, merged.FetchedAt);
        Assert.Equal(known.OdometerKm, merged.OdometerKm);
        Assert.Equal(known.Location, merged.Location);
    }

    private static VehicleStatus Map(string json) =>
        PsaMapping.ToStatus(E208, JsonSerializer.Deserialize<PsaStatusDto>(json, PsaJson.Options)!, FetchedAt);

    /// <summary>Every member and array element of <paramref name="node"/>, as paths like ["energy", "[0]", "charging"].</summary>
    private static IEnumerable<string[]> Paths(JsonNode node)
    {
        return Walk(node, []);

        static IEnumerable<string[]> Walk(JsonNode? node, string[] prefix)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (name, child) in obj)
                    {
                        string[] path = [.. prefix, name];
                        yield return path;
                        foreach (var nested in Walk(child, path))
                        {
                            yield return nested;
                        }
                    }

                    break;
                case JsonArray array:
                    for (var i = 0; i < array.Count; i++)
                    {
                        string[] path = [.. prefix, $"[{i}]"];
                        yield return path;
                        foreach (var nested in Walk(array[i], path))
                        {
                            yield return nested;
                        }
                    }

                    break;
            }
        }
    }

    private static void Removed(JsonNode root, string[] path) => Edit(root, path, remove: true);

    private static void Nulled(JsonNode root, string[] path) => Edit(root, path, remove: false);

    private static void Edit(JsonNode root, string[] path, bool remove)
    {
        var parent = root;
        foreach (var step in path[..^1])
        {
            parent = step.StartsWith('[') ? parent[int.Parse(step[1..^1])]! : parent[step]!;
        }

        var last = path[^1];
        if (last.StartsWith('['))
        {
            var array = parent.AsArray();
            var index = int.Parse(last[1..^1]);
            if (remove)
            {
                array.RemoveAt(index);
            }
            else
            {
                array[index] = null;
            }
        }
        else if (remove)
        {
            parent.AsObject().Remove(last);
        }
        else
        {
            parent[last] = null;
        }
    }
}
