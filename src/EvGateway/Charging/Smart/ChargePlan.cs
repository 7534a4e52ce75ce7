
namespace EvGateway.Charging.Smart;

/// <summary>When to charge, how much and at what cost; <see cref="Feasible"/> is false when the prices cannot deliver the energy in time.</summary>
public sealed record ChargePlan(ChargeStrategy Strategy, IReadOnlyList<PlannedSlot> Slots, double EnergyKwh, double PlannedEnergyKwh, double ExpectedCost)
{
    public bool Feasible => PlannedEnergyKwh >= EnergyKwh - 1e-6;

    public static ChargePlan From(ChargeStrategy strategy, IReadOnlyList<PlannedSlot> slots, double energyKwh) =>
        new(strategy, slots, energyKwh, slots.Sum(s => s.EnergyKwh), slots.Sum(s => s.PricePerKwh * s.EnergyKwh));
}
