using System.Text.Json;
using EvGateway.Manufacturers.Psa;
using EvGateway.Manufacturers.Psa.Accounts;
using EvGateway.Tests.Manufacturers.Psa.Pairing;
using EvGateway.Vehicles;

namespace EvGateway.Tests.Manufacturers.Psa.Accounts;

/// <summary>psa_car_controller's files as its versions wrote them, read before anything changes.</summary>
public sealed class PsaccFilesTests
{
    private const string Secret = "a-secret-value-that-must-never-be-repeated";

    [Theory]
    [InlineData("clientsB2CPeugeot", PsaBrand.Peugeot)]
    [InlineData("clientsB2CCitroen", PsaBrand.Citroen)]
    [InlineData("clientsB2CDS", PsaBrand.DS)]
    [InlineData("clientsB2COpel", PsaBrand.Opel)]
    [InlineData("clientsB2CVauxhall", PsaBrand.Vauxhall)]
    public void The_brand_comes_from_the_realm(string realm, PsaBrand brand)
    {
        var files = Read($$"""{"realm":"{{realm}}","client_id":"id","client_secret":"{{Secret}}","refresh_token":"{{Secret}}"}""", out var problems);

        Assert.Empty(problems);
        Assert.Equal(brand, files!.Brand);
    }

    [Fact]
    public void An_older_config_without_country_customer_or_remote_token_is_read_and_names_none_of_them()
    {
        var files = Read($$$"""
            {"realm":"clientsB2COpel","client_id":"id","client_secret":"{{{Secret}}}","refresh_token":"{{{Secret}}}",
             "customer_id":null,"remote_refresh_token":null,"proxies":null,"abrp":{"abrp_enable_vin":[],"token":""}}
            """, out var problems);

        Assert.Empty(problems);
        Assert.Null(files!.Country);
        Assert.Null(files.CustomerId);
        Assert.Null(files.RemoteRefreshToken);
        Assert.Null(files.Otp);
        Assert.Empty(files.NotUsed);
    }

    [Fact]
    public void Every_missing_or_malformed_field_is_named_at_once_without_its_value()
    {
        var files = Read($$"""{"realm":"clientsB2CFiat","client_secret":42,"refresh_token":"","country_code":"{{Secret}}","extra":1}""",
            out var problems);

        Assert.Null(files);
        Assert.Equal(["config.realm", "config.client_id", "config.client_secret", "config.refresh_token", "config.country_code"],
            problems.Select(p => p.Field));
        Assert.DoesNotContain(problems, p => p.ToString().Contains(Secret, StringComparison.Ordinal));
    }

    [Fact]
    public void Charge_config_keeps_thresholds_and_stop_hours_and_reads_0_0_as_no_stop_hour_as_psa_car_controller_does()
    {
        var files = Read(ValidConfig, out var problems, """
            {"VR3UHZKXZLT123456":{"percentage_threshold":80,"stop_hour":[22,30]},
             "VR3MRHNSSLJ654321":{"percentage_threshold":90,"stop_hour":[0,0]},
             "VF3ABCDEFGH123456":{"percentage_threshold":100,"stop_hour":null,"note":"x"}}
            """);

        Assert.Empty(problems);
        Assert.Equal(
        [
            new ImportedChargeControl("VR3UHZKXZLT123456", 80, new TimeOnly(22, 30)),
            new ImportedChargeControl("VR3MRHNSSLJ654321", 90, null),
            new ImportedChargeControl("VF3ABCDEFGH123456", 100, null),
        ], files!.ChargeControl);
        Assert.Equal(["charge_config.json: VF3ABCDEFGH123456.note (unknown to EvGateway)"], files.NotUsed);
    }

    [Theory]
    [InlineData("""{"NOT-A-VIN":{"percentage_threshold":80}}""", "chargeConfig.NOT-A-VIN")]
    [InlineData("""{"VR3UHZKXZLT123456":{"percentage_threshold":0}}""", "chargeConfig.VR3UHZKXZLT123456.percentage_threshold")]
    [InlineData("""{"VR3UHZKXZLT123456":{"percentage_threshold":80.5}}""", "chargeConfig.VR3UHZKXZLT123456.percentage_threshold")]
    [InlineData("""{"VR3UHZKXZLT123456":{"stop_hour":[22]}}""", "chargeConfig.VR3UHZKXZLT123456.stop_hour")]
    [InlineData("""[]""", "chargeConfig")]
    public void A_malformed_charge_config_names_the_car_and_field(string chargeConfig, string field)
    {
        var files = Read(ValidConfig, out var problems, chargeConfig);

        Assert.Null(files);
        Assert.Equal(field, Assert.Single(problems).Field);
    }

    [Fact]
    public void The_synthetic_otp_bin_is_taken_and_a_damaged_one_is_named()
    {
        using var config = JsonDocument.Parse(ValidConfig);
        var bytes = InWeboVectors.Bytes("otp.bin");

        var files = PsaccFiles.Read(config.RootElement, bytes, null, PsaccSourceNames.Folder, out var problems);
        var damaged = PsaccFiles.Read(config.RootElement, bytes[..100], null, PsaccSourceNames.Folder, out var damage);

        Assert.Empty(problems);
        Assert.Equal("1b9c744478ace894", files!.Otp!.ToolId);
        Assert.Null(damaged);
        Assert.Equal("otp.bin", Assert.Single(damage).Field);
    }

    private static string ValidConfig => $$"""{"realm":"clientsB2CPeugeot","client_id":"id","client_secret":"{{Secret}}","refresh_token":"{{Secret}}"}""";

    private static PsaccFiles? Read(string config, out IReadOnlyList<PsaccProblem> problems, string? chargeConfig = null)
    {
        using var configJson = JsonDocument.Parse(config);
        using var chargeJson = chargeConfig is null ? null : JsonDocument.Parse(chargeConfig);
        return PsaccFiles.Read(configJson.RootElement, null, chargeJson?.RootElement, PsaccSourceNames.Request, out problems);
    }
}
