
namespace EvGateway.Charging.Tariff;

/// <summary>One tariff period: the price per kWh (in the feed's unit, e.g. p/kWh incl. VAT) from Start to End.</summary>
public sealed record PriceSlot(DateTimeOffset Start, DateTimeOffset End, double PricePerKwh);
