using System.Text.Json.Serialization;

namespace EvGateway.Vehicles;

/// <summary>What a car can report or obey. A route whose capability the car lacks answers 501 without calling the cloud.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<VehicleCapability>))]
public enum VehicleCapability
{
    BatteryStatus,
    Odometer,
    Location,
    ClimateStatus,
    ChargeMode,
    ChargeStart,
    ChargeStop,
    ChargeSchedule,
    ClimateControl,
    HornLights,
    Lock,
    WakeUp,
    ChargeLimit,
}
