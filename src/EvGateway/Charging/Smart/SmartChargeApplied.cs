using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

/// <summary>The plan that was applied and, in words, what the car was told.</summary>
public sealed record SmartChargeApplied(SmartChargePlanView Plan, string Applied);
