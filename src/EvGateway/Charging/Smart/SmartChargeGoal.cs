using System.Collections.Concurrent;
using System.Text.Json;
using EvGateway.Vehicles;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>A smart-charge goal being worked towards, and how far the prices it was planned with reached.</summary>
public sealed record SmartChargeGoal(string Vin, int TargetPercent, DateTimeOffset ReadyBy, double? MaxPrice, DateTimeOffset PricesUntil);
