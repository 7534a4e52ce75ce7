using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>design.md's smart-charge plan (names fixed): times with the local zone's offset, prices and costs in the feed's unit.</summary>
public sealed record SmartChargePlanView(
    string Vin,
    int TargetPercent,
    DateTimeOffset ReadyBy,
    string Strategy,
    double CurrentLevel,
    double ChargePowerKw,
    IReadOnlyList<SmartChargeSlot> Slots,
    double EnergyKwh,
    double ExpectedCost,
    double? CostIfChargedNow);
