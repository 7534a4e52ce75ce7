using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace EvGateway.Simulator.Renault;

/// <summary>One call on a car: the vehicle, the parsed JSON body of a POST, the simulator's "now" and the query string.</summary>
internal sealed record KamereonCall(RenaultVehicle Vehicle, JsonNode? Body, DateTimeOffset Now, IQueryCollection? Query = null);

/// <summary>
/// A car route: the capability it needs and what it does. Commands whose meaning depends on their <c>action</c>
/// attribute (charging-start start/stop, pause-resume pause/resume) need the capability of that variant.
/// </summary>
internal sealed record KamereonOperation(string Capability, Func<KamereonCall, IResult> Handler, bool VariesByAction = false)
{
    public IResult Invoke(KamereonCall call)
    {
        var capability = Capability;
        if (VariesByAction)
        {
            var action = KamereonCarOperations.Attributes(call.Body)?["action"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
            if (action is null)
            {
                return KamereonErrors.BadRequest("NotNull", "must not be null", "/data/attributes/action");
            }

            capability += "/" + action;
        }

        return call.Vehicle.Supports(capability) ? Handler(call) : KamereonErrors.Missing(call.Vehicle.Model.AnswerWhenMissing(capability));
    }
}

/// <summary>The reads and commands of the car-adapter and KCM APIs, answered from the simulated car in the recorded shapes.</summary>
internal static class KamereonCarOperations
{
    private static readonly Dictionary<(string Method, string Path), KamereonOperation> Operations = new()
    {
        [("GET", "kca/v2/battery-status")] = new(KamereonCapability.BatteryStatus, BatteryStatus),
        [("GET", "kca/v1/cockpit")] = new(KamereonCapability.CockpitV1, call => Cockpit(call, withFuel: false)),
        [("GET", "kca/v2/cockpit")] = new(KamereonCapability.CockpitV2, call => Cockpit(call, withFuel: true)),
        [("GET", "kca/v1/hvac-status")] = new(KamereonCapability.HvacStatus, HvacStatus),
        [("GET", "kca/v1/charge-mode")] = new(KamereonCapability.ChargeMode, ChargeMode),
        [("GET", "kca/v1/charging-settings")] = new(KamereonCapability.ChargingSettings, ChargingSettings),
        [("GET", "kca/v1/location")] = new(KamereonCapability.Location, Location),
        [("GET", "kca/v1/lock-status")] = new(KamereonCapability.LockStatus, LockStatus),
        [("GET", "kca/v1/charges")] = new(KamereonCapability.Charges, KamereonChargeLog.Charges),
        [("GET", "kca/v1/charge-history")] = new(KamereonCapability.ChargeHistory, KamereonChargeLog.ChargeHistory),
        [("POST", "kca/v1/actions/charge-mode")] = new(KamereonCapability.SetChargeMode, SetChargeMode),
        [("POST", "kca/v1/actions/charge-schedule")] = new(KamereonCapability.ChargeScheduleV1, SetChargeSchedule),
        [("POST", "kca/v2/actions/charge-schedule")] = new(KamereonCapability.ChargeScheduleV2, SetChargeSchedule),
        [("POST", "kca/v1/actions/charging-start")] = new("actions/charging-start", ChargingStart, VariesByAction: true),
        [("POST", "kca/v1/actions/hvac-start")] = new(KamereonCapability.HvacStart, HvacStart),
        [("POST", "kca/v1/actions/horn-lights")] = new(KamereonCapability.HornLights, HornLights),
        [("POST", "kca/v1/actions/refresh-location")] = new(KamereonCapability.RefreshLocation, RefreshLocation),
        [("POST", "kcm/charge/pause-resume")] = new("kcm/charge/pause-resume", PauseResume, VariesByAction: true),
        [("POST", "kcm/charge/start")] = new(KamereonCapability.KcmChargeStart, KcmChargeStart),
        [("POST", "kcm/charge/schedule")] = new(KamereonCapability.KcmChargeSchedule, SetChargeSchedule),
        [("GET", "kcm/ev/settings")] = new(KamereonCapability.KcmEvSettings, call => Plain(call.Vehicle.EvSettings)),
        [("POST", "kcm/ev/settings")] = new(KamereonCapability.KcmSetEvSettings, SetEvSettings),
        [("GET", "kcm/ev/soc-levels")] = new(KamereonCapability.KcmSocLevels, SocLevels),
        [("POST", "kcm/ev/soc-levels")] = new(KamereonCapability.KcmSetSocLevels, SetSocLevels),
    };

    public static bool TryFind(string method, string path, out KamereonOperation operation) =>
        Operations.TryGetValue((method.ToUpperInvariant(), path), out operation!);

    public static JsonObject? Attributes(JsonNode? body) => body?["data"]?["attributes"] as JsonObject;

    private static IResult BatteryStatus(KamereonCall call)
    {
        var car = call.Vehicle.Car.Read();
        var attributes = new JsonObject
        {
            ["timestamp"] = Iso(car.Timestamp),
            ["batteryLevel"] = (int)Math.Round(car.Level),
            ["batteryTemperature"] = 20,
            ["batteryAutonomy"] = (int)Math.Round(car.RangeKm),
            ["batteryCapacity"] = 0,
            ["batteryAvailableEnergy"] = (int)Math.Round(car.Level / 100 * call.Vehicle.Car.Spec.CapacityKwh),
            ["plugStatus"] = car.Plugged ? 1 : 0,
            ["chargingStatus"] = ChargingStatus(call.Vehicle, car),
        };
        if (car.Charging)
        {
            attributes["chargingRemainingTime"] = car.RemainingMinutes;
        }

        if (car.Plugged)
        {
            attributes["chargingInstantaneousPower"] = call.Vehicle.Model.ReportsPowerInWatts ? car.ChargePowerKw * 1000 : car.ChargePowerKw;
        }

        return Data(call, attributes);
    }

    private static double ChargingStatus(RenaultVehicle vehicle, Cars.CarSnapshot car) => car switch
    {
        { Charging: true } => 1.0,
        { Plugged: false } => 0.0,
        { ChargeEnded: true } => 0.2,
        _ when vehicle.WaitsForPlannedCharge => 0.1,
        _ => 0.0,
    };

    private static IResult Cockpit(KamereonCall call, bool withFuel)
    {
        var attributes = new JsonObject();
        if (withFuel)
        {
            attributes["fuelAutonomy"] = 0;
            attributes["fuelQuantity"] = 0;
        }

        attributes["totalMileage"] = call.Vehicle.Car.Read().OdometerKm;
        return Data(call, attributes);
    }

    private static IResult HvacStatus(KamereonCall call)
    {
        var car = call.Vehicle.Car.Read();
        return Data(call, new JsonObject
        {
            ["externalTemperature"] = 12.0,
            ["hvacStatus"] = car.ClimateActive ? "on" : "off",
            ["lastUpdateTime"] = Iso(car.Timestamp),
        });
    }

    private static IResult ChargeMode(KamereonCall call) =>
        Data(call, new JsonObject { ["chargeMode"] = call.Vehicle.ScheduleMode ? "scheduled" : "always" });

    private static IResult ChargingSettings(KamereonCall call)
    {
        var schedules = new JsonArray();
        foreach (var schedule in call.Vehicle.Schedules)
        {
            schedules.Add(schedule.ToJson());
        }

        return Data(call, new JsonObject
        {
            ["dateTime"] = Iso(call.Now),
            ["mode"] = call.Vehicle.ScheduleMode ? "scheduled" : "always",
            ["schedules"] = schedules,
        });
    }

    private static IResult Location(KamereonCall call)
    {
        var car = call.Vehicle.Car.Read();
        return Data(call, new JsonObject
        {
            ["gpsDirection"] = null,
            ["gpsLatitude"] = car.Latitude,
            ["gpsLongitude"] = car.Longitude,
            ["lastUpdateTime"] = Iso(car.Timestamp),
        });
    }

    private static IResult LockStatus(KamereonCall call)
    {
        var car = call.Vehicle.Car.Read();
        return Data(call, new JsonObject
        {
            ["lockStatus"] = car.Locked ? "locked" : "unlocked",
            ["doorStatusRearLeft"] = "closed",
            ["doorStatusRearRight"] = "closed",
            ["doorStatusDriver"] = "closed",
            ["doorStatusPassenger"] = "closed",
            ["hatchStatus"] = "closed",
            ["lastUpdateTime"] = Iso(car.Timestamp),
        });
    }

    private static IResult SocLevels(KamereonCall call)
    {
        var (min, target, updated) = call.Vehicle.SocLevels;
        return Plain(new JsonObject { ["lastEnergyUpdateTimestamp"] = Iso(updated), ["socMin"] = min, ["socTarget"] = target });
    }

    private static IResult SetChargeMode(KamereonCall call) => Command(call, "ChargeMode", attributes =>
    {
        switch (Text(attributes, "action"))
        {
            case "always_charging":
                call.Vehicle.SetChargeMode(scheduleMode: false);
                return null;
            case "schedule_mode":
                call.Vehicle.SetChargeMode(scheduleMode: true);
                return null;
            default:
                return KamereonErrors.BadRequest("Pattern", "must be always_charging or schedule_mode", "/data/attributes/action");
        }
    });

    private static IResult SetChargeSchedule(KamereonCall call) => Command(call, "ChargeSchedule", attributes =>
    {
        var schedules = ChargeSchedule.Parse(attributes["schedules"], out var error);
        if (error is not null)
        {
            return KamereonErrors.BadRequest("Invalid", error, "/data/attributes/schedules");
        }

        call.Vehicle.SetSchedules(schedules);
        return null;
    });

    private static IResult ChargingStart(KamereonCall call) => Command(call, "ChargingStart", attributes =>
    {
        if (Text(attributes, "action") == "start")
        {
            call.Vehicle.Car.StartCharging();
        }
        else
        {
            call.Vehicle.Car.StopCharging();
        }

        return null;
    });

    private static IResult PauseResume(KamereonCall call) => Command(call, "ChargePauseResume", attributes =>
    {
        if (Text(attributes, "action") == "resume")
        {
            call.Vehicle.Car.StartCharging();
        }
        else
        {
            call.Vehicle.Car.StopCharging();
        }

        return null;
    });

    // The KCM start takes the car-adapter's ChargingStart shape; a startDateTime delays the start to that instant.
    private static IResult KcmChargeStart(KamereonCall call) => Command(call, "ChargingStart", attributes =>
    {
        if (attributes["startDateTime"] is null)
        {
            call.Vehicle.Car.StartCharging();
            return null;
        }

        if (FutureInstant(attributes, "startDateTime", call.Now, out var failure) is not { } start)
        {
            return failure;
        }

        call.Vehicle.StartChargingAt(start);
        return null;
    }, acceptedTypes: ["ChargingStart", "ChargeStart"]);

    // A start with a startDateTime programs the preconditioning for later; without one the climate starts now.
    private static IResult HvacStart(KamereonCall call) => Command(call, "HvacStart", attributes =>
    {
        switch (Text(attributes, "action"))
        {
            case "start":
                if (attributes["startDateTime"] is null)
                {
                    call.Vehicle.Car.SetClimate(true);
                    return null;
                }

                return FutureInstant(attributes, "startDateTime", call.Now, out var failure) is null ? failure : null;
            case "cancel" or "stop":
                call.Vehicle.Car.SetClimate(false);
                return null;
            default:
                return KamereonErrors.BadRequest("Pattern", "must be start or cancel", "/data/attributes/action");
        }
    });

    private static IResult HornLights(KamereonCall call) => Command(call, "HornLights", attributes =>
        Text(attributes, "action") == "start" && Text(attributes, "target") is "horn" or "lights"
            ? null
            : KamereonErrors.BadRequest("Pattern", "action must be start and target horn or lights", "/data/attributes"));

    private static IResult RefreshLocation(KamereonCall call) => Command(call, "RefreshLocation", _ => null);

    // Plain JSON as the app sends it; a field that is sent must be valid, a field left out keeps its stored value.
    private static IResult SetEvSettings(KamereonCall call)
    {
        if (call.Body is not JsonObject settings)
        {
            return KamereonErrors.BadRequest("NotNull", "a JSON object is required", "/");
        }

        if (settings.TryGetPropertyValue("chargeModeRq", out var mode) && Text(settings, "chargeModeRq") is not ("ALWAYS" or "SCHEDULED"))
        {
            return KamereonErrors.BadRequest("Pattern", $"chargeModeRq must be ALWAYS or SCHEDULED, not {Json(mode)}", "/chargeModeRq");
        }

        if (settings.TryGetPropertyValue("chargeTimeStart", out var start) && !DailyChargeWindow.TryParseStart(start, out _))
        {
            return KamereonErrors.BadRequest("Pattern", $"chargeTimeStart must be HH:MM from 00:00 to 23:59, not {Json(start)}", "/chargeTimeStart");
        }

        if (settings.TryGetPropertyValue("chargeDuration", out var duration) && !DailyChargeWindow.TryParseDuration(duration, out _))
        {
            return KamereonErrors.BadRequest("Positive", $"chargeDuration must be a positive whole number of minutes, not {Json(duration)}", "/chargeDuration");
        }

        if (settings.TryGetPropertyValue("programs", out var programs) && programs is not JsonArray)
        {
            return KamereonErrors.BadRequest("Invalid", $"programs must be an array, not {Json(programs)}", "/programs");
        }

        return Plain(call.Vehicle.SetEvSettings(settings));
    }

    private static string Json(JsonNode? node) => node?.ToJsonString() ?? "null";

    // KCM takes plain JSON; the data/attributes envelope is accepted too because clients send both.
    private static IResult SetSocLevels(KamereonCall call)
    {
        var levels = Attributes(call.Body) ?? call.Body as JsonObject;
        var min = Number(levels, "socMin");
        var target = Number(levels, "socTarget");
        if (min is not (>= 15 and <= 45) || min % 5 != 0)
        {
            return KamereonErrors.BadRequest("Range", "socMin must be 15..45 in steps of 5", "/socMin");
        }

        if (target is not (>= 55 and <= 100) || target % 5 != 0)
        {
            return KamereonErrors.BadRequest("Range", "socTarget must be 55..100 in steps of 5", "/socTarget");
        }

        call.Vehicle.SetSocLevels(min.Value, target.Value);
        return Plain(new JsonObject { ["commandId"] = Guid.NewGuid().ToString(), ["type"] = "SOC_SYNCH", ["status"] = "CREATED" });
    }

    /// <summary>
    /// Checks the command envelope, lets the car act on it (the action returns an error answer or null), and echoes the
    /// envelope with a fresh GUID as the real cloud does.
    /// </summary>
    private static IResult Command(KamereonCall call, string type, Func<JsonObject, IResult?> act, string[]? acceptedTypes = null)
    {
        var data = call.Body?["data"] as JsonObject;
        var sentType = data?["type"] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (sentType is null || !(acceptedTypes ?? [type]).Contains(sentType, StringComparer.Ordinal))
        {
            return KamereonErrors.BadRequest("Invalid", $"data.type must be {type}", "/data/type");
        }

        var attributes = data!["attributes"] as JsonObject ?? [];
        if (act(attributes) is { } failure)
        {
            return failure;
        }

        var echo = new JsonObject { ["type"] = sentType, ["id"] = Guid.NewGuid().ToString() };
        if (attributes.Count > 0)
        {
            echo["attributes"] = attributes.DeepClone();
        }

        return Results.Content(new JsonObject { ["data"] = echo }.ToJsonString(), "application/vnd.api+json");
    }

    private static DateTimeOffset? FutureInstant(JsonObject attributes, string name, DateTimeOffset now, out IResult? failure)
    {
        failure = null;
        if (DateTimeOffset.TryParse(Text(attributes, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant)
            && instant > now)
        {
            return instant;
        }

        failure = KamereonErrors.BadRequest("Future", "must be a future date", "/data/attributes/" + name);
        return null;
    }

    private static string? Text(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Number(JsonObject? json, string name) =>
        json?[name] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    public static IResult Data(KamereonCall call, JsonObject attributes) =>
        Results.Content(new JsonObject
        {
            ["data"] = new JsonObject { ["type"] = "Car", ["id"] = call.Vehicle.Vin, ["attributes"] = attributes },
        }.ToJsonString(), "application/vnd.api+json");

    private static IResult Plain(JsonObject body) => Results.Content(body.ToJsonString(), "application/json");

    public static string Iso(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
