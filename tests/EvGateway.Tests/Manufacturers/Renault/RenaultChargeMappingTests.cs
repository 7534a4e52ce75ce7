using EvGateway.Manufacturers.Renault;
using EvGateway.Tests.TestSupport;

namespace EvGateway.Tests.Manufacturers.Renault;

public class RenaultChargeMappingTests
{
    [Fact]
    public void A_recorded_charge_gives_its_times_levels_energy_from_the_capacity_and_its_power_in_kilowatts()
    {
        var answer = RenaultPayloads.Read<KamereonEnvelope<ChargesAttributes>>("charges.json");

        var session = Assert.Single(RenaultChargeMapping.Sessions(answer.Data!.Attributes!.Charges, capacityKwh: 52, reportsWatts: false));

        Assert.Equal(DateTimeOffset.Parse("2020-11-11T00:31:03Z", System.Globalization.CultureInfo.InvariantCulture), session.Start);
        Assert.Equal(DateTimeOffset.Parse("2020-11-11T08:30:17Z", System.Globalization.CultureInfo.InvariantCulture), session.End);
        Assert.Equal((15d, 74d), (session.StartLevel, session.EndLevel));
        Assert.Equal(59 * 52 / 100d, session.EnergyKwh!.Value, 0.01);
        // 3100 cannot be kilowatts from a home socket: it is watts.
        Assert.Equal(3.1, session.PowerKw);
    }

    [Fact]
    public void Recorded_ZE50_charges_without_a_start_level_have_no_energy_rather_than_a_guess()
    {
        var answer = RenaultPayloads.Read<KamereonEnvelope<ChargesAttributes>>("charges-zoe_50.json");

        var sessions = RenaultChargeMapping.Sessions(answer.Data!.Attributes!.Charges, capacityKwh: 52, reportsWatts: false);

        Assert.Equal(answer.Data.Attributes.Charges!.Count, sessions.Count);
        Assert.Equal(sessions.OrderBy(s => s.Start), sessions);
        Assert.All(sessions.Where(s => s.StartLevel is null), s => Assert.Null(s.EnergyKwh));
        var withBoth = sessions.First(s => s.StartLevel is not null);
        Assert.Equal((withBoth.EndLevel!.Value - withBoth.StartLevel!.Value) * 52 / 100, withBoth.EnergyKwh!.Value, 0.01);
    }
}
