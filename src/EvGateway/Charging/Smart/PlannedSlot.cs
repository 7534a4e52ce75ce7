
namespace EvGateway.Charging.Smart;

/// <summary>A period to charge in and the energy it delivers at the planned power.</summary>
public sealed record PlannedSlot(DateTimeOffset Start, DateTimeOffset End, double PricePerKwh, double EnergyKwh);
