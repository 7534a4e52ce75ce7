using System.Text.RegularExpressions;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Mqtt;
using EvGateway.Vehicles;
using Microsoft.Extensions.Time.Testing;

namespace EvGateway.Tests.Manufacturers.Psa;

public sealed partial class PsaRulesTests
{
    [Fact]
    public void A_correlation_id_is_32_hex_digits_followed_by_the_utc_instant()
    {
        var id = PsaRemoteCommands.NewCorrelationId(new DateTimeOffset(2022, 3, 26, 13, 2, 54, 123, TimeSpan.FromHours(2)));

        Assert.Matches(CorrelationIdShape(), id);
        Assert.EndsWith("20220326110254123", id);
    }

    [Fact]
    public void Charge_stop_is_a_delayed_charge_at_the_given_hour()
    {
        var (service, parameters) = PsaRemoteCommands.Describe(new VehicleCommand(VehicleCommandKind.ChargeStop), new TimeOnly(22, 30));

        Assert.Equal("/VehCharge", service);
        Assert.Equal("""{"program":{"hour":22,"minute":30},"type":"delayed"}""", parameters.ToJsonString());
    }

    [Theory]
    [InlineData(VehicleCommandKind.WakeUp, null, "/VehCharge/state", """{"action":"state"}""")]
    [InlineData(VehicleCommandKind.ChargeStart, null, "/VehCharge", """{"program":{"hour":6,"minute":15},"type":"immediate"}""")]
    [InlineData(VehicleCommandKind.Lock, null, "/Doors", """{"action":"lock"}""")]
    [InlineData(VehicleCommandKind.Unlock, null, "/Doors", """{"action":"unlock"}""")]
    [InlineData(VehicleCommandKind.Horn, null, "/Horn", """{"nb_horn":2,"action":"activate"}""")]
    [InlineData(VehicleCommandKind.Horn, 3, "/Horn", """{"nb_horn":3,"action":"activate"}""")]
    [InlineData(VehicleCommandKind.Lights, null, "/Lights", """{"action":"activate","duration":10}""")]
    [InlineData(VehicleCommandKind.Lights, 30, "/Lights", """{"action":"activate","duration":30}""")]
    public void Commands_become_the_documented_services(VehicleCommandKind kind, int? count, string expectedService, string expectedParameters)
    {
        var (service, parameters) = PsaRemoteCommands.Describe(new VehicleCommand(kind) { Count = count }, new TimeOnly(6, 15));

        Assert.Equal(expectedService, service);
        Assert.Equal(expectedParameters, parameters.ToJsonString());
    }

    [Fact]
    public void A_delayed_charge_start_uses_the_requested_time_and_needs_one()
    {
        var (_, parameters) = PsaRemoteCommands.Describe(
            new VehicleCommand(VehicleCommandKind.SetDelayedChargeStart) { At = new TimeOnly(1, 5) }, new TimeOnly(22, 30));

        Assert.Equal("""{"program":{"hour":1,"minute":5},"type":"delayed"}""", parameters.ToJsonString());
        var missing = Assert.Throws<GatewayException>(() =>
            PsaRemoteCommands.Describe(new VehicleCommand(VehicleCommandKind.SetDelayedChargeStart), new TimeOnly(22, 30)));
        Assert.Equal(ErrorCodes.ValidationFailed, missing.Code);
    }

    [Fact]
    public void Climate_commands_send_asap_with_switched_off_programs()
    {
        var (service, parameters) = PsaRemoteCommands.Describe(new VehicleCommand(VehicleCommandKind.ClimateStart), new TimeOnly(22, 30));

        Assert.Equal("/ThermalPrecond", service);
        Assert.Equal("activate", (string?)parameters["asap"]);
        Assert.Equal(0, (int?)parameters["programs"]!["program1"]!["on"]);
        Assert.Equal("deactivate",
            (string?)PsaRemoteCommands.Describe(new VehicleCommand(VehicleCommandKind.ClimateStop), new TimeOnly(22, 30)).Parameters["asap"]);
    }

    [Fact]
    public void The_seventh_wake_up_within_twenty_minutes_is_refused_until_the_oldest_one_ages_out()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var limiter = new PsaWakeUpLimiter(time);
        for (var i = 0; i < 6; i++)
        {
            limiter.Acquire("VIN1");
            time.Advance(TimeSpan.FromMinutes(1));
        }

        var refused = Assert.Throws<GatewayException>(() => limiter.Acquire("VIN1"));
        Assert.Equal(ErrorCodes.WakeUpLimit, refused.Code);
        Assert.Equal(429, refused.StatusCode);
        Assert.Equal(TimeSpan.FromMinutes(14), refused.RetryAfter);

        limiter.Acquire("VIN2");
        time.Advance(TimeSpan.FromMinutes(14));
        limiter.Acquire("VIN1");
    }

    [Fact]
    public void A_sixth_refresh_within_thirty_minutes_is_refused_with_the_wait()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 8, 0, 0, TimeSpan.Zero));
        var guard = new PsaRefreshGuard(time);
        for (var i = 0; i < 5; i++)
        {
            guard.Acquire();
            time.Advance(TimeSpan.FromMinutes(2));
        }

        var refused = Assert.Throws<GatewayException>(guard.Acquire);
        Assert.Equal(ErrorCodes.UpstreamRateLimited, refused.Code);
        Assert.Equal(TimeSpan.FromMinutes(20), refused.RetryAfter);
        time.Advance(TimeSpan.FromMinutes(20));
        guard.Acquire();
    }

    [Theory]
    [InlineData(PsaBrand.Peugeot, "ACNT200000328091", "AP-ACNT200000328091", "clientsB2CPeugeot", "https://idpcvs.peugeot.com/am/oauth2/access_token")]
    [InlineData(PsaBrand.Citroen, "ACNT1", "AC-ACNT1", "clientsB2CCitroen", "https://idpcvs.citroen.com/am/oauth2/access_token")]
    [InlineData(PsaBrand.DS, "ACNT1", "AC-ACNT1", "clientsB2CDS", "https://idpcvs.driveds.com/am/oauth2/access_token")]
    [InlineData(PsaBrand.Opel, "ACNT1", "OV-ACNT1", "clientsB2COpel", "https://idpcvs.opel.com/am/oauth2/access_token")]
    [InlineData(PsaBrand.Vauxhall, "OV-ACNT1", "OV-ACNT1", "clientsB2CVauxhall", "https://idpcvs.vauxhall.co.uk/am/oauth2/access_token")]
    public void The_brand_decides_realm_token_url_and_customer_prefix(PsaBrand brand, string customerId, string fullCustomerId,
        string realm, string tokenUrl)
    {
        var options = new PsaOptions();
        var profile = PsaBrandProfile.Of(brand);

        Assert.Equal(fullCustomerId, profile.FullCustomerId(customerId));
        Assert.Equal(realm, profile.Realm);
        Assert.Equal(new Uri(tokenUrl), options.TokenUrlFor(brand));
        Assert.Equal(new Uri("https://api.groupe-psa.com/connectedcar/v4/virtualkey/remoteaccess/token"), options.EffectiveRemoteTokenUrl);
    }

    [Fact]
    public void A_bad_setting_fails_validation_naming_the_key_but_not_the_secrets()
    {
        var options = new PsaOptions
        {
            ClientId = "app",
            ClientSecret = "very-secret-client-secret",
            RefreshToken = "very-secret-refresh-token",
            RemoteRefreshToken = "very-secret-remote-token",
            CustomerId = "",
            DefaultDelayedChargeStart = "25:99",
        };

        var result = new PsaOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Psa:DefaultDelayedChargeStart", result.FailureMessage);
        Assert.Contains("Psa:CustomerId", result.FailureMessage);
        Assert.DoesNotContain("very-secret", result.FailureMessage);
    }

    [Theory]
    [InlineData("e-208", 46)]
    [InlineData("e-2008", 46)]
    [InlineData("AMI", 5.5)]
    [InlineData("3008 HYBRID4", 12)]
    [InlineData("Grandland X Hybrid", 12)]
    [InlineData("Corsa-e", 46)]
    public void Usable_capacity_comes_from_the_model(string label, double expectedKwh)
    {
        Assert.Equal(expectedKwh, PsaVehicleCatalog.UsableCapacityKwh(label));
    }

    [Fact]
    public void Command_capabilities_exist_only_when_remote_commands_are_configured()
    {
        Assert.DoesNotContain(VehicleCapability.ChargeStop, PsaVehicleCatalog.Capabilities(remoteCommands: false));
        Assert.Contains(VehicleCapability.BatteryStatus, PsaVehicleCatalog.Capabilities(remoteCommands: false));
        Assert.Contains(VehicleCapability.ChargeStop, PsaVehicleCatalog.Capabilities(remoteCommands: true));
        Assert.Contains(VehicleCapability.WakeUp, PsaVehicleCatalog.Capabilities(remoteCommands: true));
    }

    [GeneratedRegex("^[0-9a-f]{32}[0-9]{17}$")]
    private static partial Regex CorrelationIdShape();
}
