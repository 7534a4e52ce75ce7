using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Charging.Smart;

public sealed record SmartChargeSlot(DateTimeOffset Start, DateTimeOffset End, double PricePerKwh);
