using System.Globalization;
using System.Text.Json.Nodes;
using System.Xml;
using EvGateway.Simulator.Cars;

namespace EvGateway.Simulator.Psa;

/// <summary>The JSON shapes the real cloud answers with (see the recorded payloads), generated from live state.</summary>
internal static class PsaDocuments
{
    public static string Timestamp(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>ISO-8601 durations as PSA writes them: PT1H25M, PT22H30M, PT0S.</summary>
    public static string Duration(TimeSpan span) => XmlConvert.ToString(span);

    public static JsonObject Unauthorized() => ApiError(401, "Unauthorized", "Token is invalid");

    public static JsonObject ApiError(int status, string message, string moreInformation) => new()
    {
        ["httpCode"] = status.ToString(CultureInfo.InvariantCulture),
        ["httpMessage"] = message,
        ["moreInformation"] = moreInformation,
    };

    public static JsonObject VehicleNotFound(DateTimeOffset now) => new()
    {
        ["code"] = 40400,
        ["message"] = "Vehicle not found",
        ["uuid"] = Guid.NewGuid().ToString(),
        ["timestamp"] = Timestamp(now),
    };

    public static JsonObject OAuthError(string error, string description) => new()
    {
        ["error_description"] = description,
        ["error"] = error,
    };

    public static JsonObject OAuthTokens(GrantResult grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["refresh_token"] = grant.RefreshToken,
        ["scope"] = "openid profile",
        ["id_token"] = BearerTokenStore.NewOpaqueToken(),
        ["token_type"] = "Bearer",
        ["expires_in"] = (int)grant.Lifetime.TotalSeconds,
    };

    public static JsonObject RemoteTokens(GrantResult grant) => new()
    {
        ["access_token"] = grant.AccessToken,
        ["refresh_token"] = grant.RefreshToken,
        ["token_type"] = "Bearer",
        ["expires_in"] = (int)grant.Lifetime.TotalSeconds,
    };

    public static JsonObject Vehicles(IReadOnlyCollection<PsaVehicle> vehicles, string apiUrl) => new()
    {
        ["total"] = vehicles.Count,
        ["_links"] = new JsonObject { ["self"] = Link($"{apiUrl}/user/vehicles") },
        ["_embedded"] = new JsonObject
        {
            ["vehicles"] = new JsonArray(vehicles.Select(v => (JsonNode)new JsonObject
            {
                ["id"] = v.Id,
                ["vin"] = v.Vin,
                ["brand"] = PsaCloud.Brand,
                ["label"] = v.Traits.Label,
                ["pictures"] = new JsonArray(JsonValue.Create(
                    $"https://visuel3d-secure.peugeot.com/V3DImage.ashx?client=MyMarque&version={Uri.EscapeDataString(v.Traits.Label)}")),
                ["_links"] = new JsonObject
                {
                    ["self"] = Link($"{apiUrl}/user/vehicles/{v.Id}"),
                    ["status"] = Link($"{apiUrl}/user/vehicles/{v.Id}/status"),
                },
            }).ToArray()),
        },
    };

    public static JsonObject Status(PsaVehicleView view, string apiUrl)
    {
        var car = view.Car;
        var updatedAt = Timestamp(car.Timestamp);
        var energy = new JsonArray();
        if (view.Vehicle.Traits.Fuel is { } fuel)
        {
            energy.Add(new JsonObject
            {
                ["updatedAt"] = updatedAt,
                ["type"] = "Fuel",
                ["level"] = fuel.LevelPercent,
                ["autonomy"] = fuel.AutonomyKm,
            });
        }

        var electric = new JsonObject
        {
            ["updatedAt"] = updatedAt,
            ["type"] = "Electric",
            ["level"] = Percent(car.Level),
            ["autonomy"] = (int)Math.Round(car.RangeKm),
            ["charging"] = new JsonObject
            {
                ["plugged"] = car.Plugged,
                ["status"] = ChargeStatus(car),
                ["remainingTime"] = Duration(TimeSpan.FromMinutes(car.Charging ? car.RemainingMinutes ?? 0 : 0)),
                ["chargingRate"] = ChargingRateKmPerHour(view),
                ["chargingMode"] = !car.Charging ? "No" : car.ChargePowerKw >= 50 ? "Quick" : "Slow",
                ["nextDelayedTime"] = Duration(view.DelayedChargeTime.ToTimeSpan()),
            },
        };
        if (view.Vehicle.BatteryHealthPercent is { } health)
        {
            electric["battery"] = new JsonObject { ["health"] = new JsonObject { ["resistance"] = health } };
        }

        energy.Add(electric);

        var self = $"{apiUrl}/user/vehicles/{view.Vehicle.Id}";
        return new JsonObject
        {
            ["lastPosition"] = Position(car),
            [view.Vehicle.Traits.LegacyPreconditioningSpelling ? "preconditionning" : "preconditioning"] = new JsonObject
            {
                ["airConditioning"] = new JsonObject
                {
                    ["updatedAt"] = updatedAt,
                    ["status"] = car.ClimateActive ? "Enabled" : "Disabled",
                    ["programs"] = new JsonArray(new JsonObject
                    {
                        ["enabled"] = false,
                        ["slot"] = 1,
                        ["recurrence"] = "Daily",
                        ["start"] = "PT7H30M",
                        ["occurence"] = new JsonObject { ["day"] = new JsonArray("Mon", "Tue", "Wed", "Thu", "Fri") },
                    }),
                },
            },
            ["energy"] = energy,
            ["createdAt"] = updatedAt,
            ["battery"] = new JsonObject
            {
                ["voltage"] = view.Vehicle.Traits.AuxiliaryBatteryPercent,
                ["current"] = 0,
                ["createdAt"] = updatedAt,
            },
            ["kinetic"] = new JsonObject { ["createdAt"] = updatedAt, ["moving"] = false },
            ["privacy"] = new JsonObject { ["createdAt"] = updatedAt, ["state"] = view.Privacy ? "Full" : "None" },
            ["service"] = new JsonObject { ["type"] = "Electric", ["updatedAt"] = updatedAt },
            ["doorsState"] = new JsonObject
            {
                ["lockedState"] = new JsonArray(car.Locked ? "Locked" : "Unlocked"),
                ["opening"] = new JsonArray(new JsonObject { ["identifier"] = "Driver", ["state"] = "Closed" }),
            },
            ["_links"] = new JsonObject
            {
                ["self"] = Link($"{self}/status"),
                ["vehicles"] = Link(self),
            },
            ["odometer"] = new JsonObject { ["createdAt"] = null, ["mileage"] = car.OdometerKm },
            ["updatedAt"] = updatedAt,
        };
    }

    /// <summary>GeoJSON Feature: coordinates are [longitude, latitude, altitude].</summary>
    public static JsonObject Position(CarSnapshot car) => new()
    {
        ["type"] = "Feature",
        ["geometry"] = new JsonObject
        {
            ["type"] = "Point",
            ["coordinates"] = new JsonArray(car.Longitude, car.Latitude, car.Altitude),
        },
        ["properties"] = new JsonObject
        {
            ["updatedAt"] = Timestamp(car.Timestamp),
            ["heading"] = 0,
            ["type"] = "Acquire",
        },
    };

    public static JsonObject ChargeEvent(PsaVehicleView view, DateTimeOffset now)
    {
        var car = view.Car;
        return new JsonObject
        {
            ["vin"] = car.Vin,
            ["date"] = Timestamp(now),
            ["charging_state"] = new JsonObject
            {
                ["type"] = view.DelayedChargeArmed ? "Delayed" : "Immediate",
                ["remaining_time"] = car.Charging ? car.RemainingMinutes ?? 0 : 0,
                ["rate"] = ChargingRateKmPerHour(view),
                ["next_delayed_time"] = Duration(view.DelayedChargeTime.ToTimeSpan()),
                ["status"] = ChargeStatus(car),
                ["plugged"] = car.Plugged,
            },
            ["energy_level"] = new JsonObject
            {
                ["level"] = Percent(car.Level),
                ["autonomy"] = (int)Math.Round(car.RangeKm),
            },
        };
    }

    /// <summary>The broker's answer to one command; "400" answers carry no process code, like the real ones.</summary>
    public static JsonObject Ack(string correlationId, string vin, PsaAck ack, DateTimeOffset now)
    {
        var reply = new JsonObject { ["correlation_id"] = correlationId };
        if (ack.ProcessCode is { } processCode)
        {
            reply["process_code"] = processCode;
        }

        reply["return_code"] = ack.ReturnCode;
        reply["reason"] = ack.Reason;
        reply["vin"] = vin;
        reply["date"] = Timestamp(now);
        return reply;
    }

    public static string ChargeStatus(CarSnapshot car) =>
        !car.Plugged ? "Disconnected" : car.Charging ? "InProgress" : car.ChargeEnded ? "Finished" : "Stopped";

    private static int ChargingRateKmPerHour(PsaVehicleView view) => view.Car.Charging
        ? (int)Math.Round(view.Car.ChargePowerKw / view.Vehicle.Car.Spec.ConsumptionKwhPer100Km * 100)
        : 0;

    private static int Percent(double level) => (int)Math.Round(level, MidpointRounding.AwayFromZero);

    private static JsonObject Link(string href) => new() { ["href"] = href };
}

/// <summary>return_code / process_code / reason of a broker answer.</summary>
internal sealed record PsaAck(string ReturnCode, string? ProcessCode, string Reason)
{
    public static readonly PsaAck Accepted = new("0", "901", "OK");
    public static readonly PsaAck RemoteTokenInvalid = new("400", null, "[authorization.denied.cvs.response.no.matching.service.key]");
    public static readonly PsaAck CarAsleep = new("300", "900", "[vehicle.not.reachable]");
    public static readonly PsaAck PrivacyMode = new("422", null, "[vehicle.privacy.mode]");

    public static PsaAck Invalid(string what) => new("500", null, $"[request.invalid] {what}");
}
