using System.Collections.Concurrent;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>
/// A smart-charge goal being worked towards, how far the prices it was planned with reached, and the slots the car was
/// told to charge in (null for a goal kept by an older version), so pages show the plan without planning again.
/// </summary>
public sealed record SmartChargeGoal(string Vin, int TargetPercent, DateTimeOffset ReadyBy, double? MaxPrice, DateTimeOffset PricesUntil,
    IReadOnlyList<SmartChargeSlot>? Slots = null);
