using EvGateway.Vehicles;
using EvGateway.Vehicles.Capabilities;
using Microsoft.Extensions.Options;

namespace EvGateway.Manufacturers.Psa;

/// <summary>
/// PSA's charge schedule is the delayed-charge hour (psa.md §2 <c>nextDelayedTime</c>, §3 <c>/VehCharge</c>). The REST
/// status names the hour but not whether the delayed programme is armed: that comes from the car's MQTT charge events
/// and from the last /VehCharge the gateway sent, which the provider remembers.
/// </summary>
internal sealed class PsaDelayedChargeStart(PsaProvider provider, IOptions<PsaOptions> options) : IDelayedChargeStart
{
    public bool Supports(Vehicle vehicle) => vehicle.Maker == PsaProvider.MakerName && vehicle.Has(VehicleCapability.ChargeSchedule);

    public bool? IsDelayedStartArmed(string vin) => provider.DelayedProgrammeArmed(vin);

    public TimeOnly DefaultStart => options.Value.DefaultDelayedStart;
}
