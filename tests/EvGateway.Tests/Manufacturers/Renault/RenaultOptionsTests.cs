using EvGateway.Manufacturers.Renault;
using EvGateway.Vehicles;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.Manufacturers.Renault;

public class RenaultOptionsTests
{
    private static GatewayServices Build(Dictionary<string, string?> settings) => GatewayServices.Compose(Makers.Renault, settings);

    [Fact]
    public async Task Without_a_username_renault_is_registered_but_not_configured_and_its_settings_pass_validation()
    {
        await using var gateway = Build(new() { ["Renault:Password"] = "secret", ["Renault:Locale"] = "france" });
        var services = gateway.Services;

        var provider = Assert.Single(services.GetServices<IVehicleProvider>());
        Assert.False(provider.IsConfigured);
        Assert.False(Assert.Single(services.GetServices<MakerSetup>()).IsConfigured(gateway.Configuration));
        Assert.Equal("france", services.GetRequiredService<IOptions<RenaultOptions>>().Value.Locale);
    }

    [Theory]
    [InlineData("Renault:Locale", "france", "Renault:Locale")]
    [InlineData("Renault:Password", "", "Renault:Password")]
    [InlineData("Renault:KamereonUrl", "not a url", "Renault:KamereonUrl")]
    [InlineData("Renault:RequestTimeoutSeconds", "0", "Renault:RequestTimeoutSeconds")]
    public async Task A_wrong_setting_fails_validation_with_a_line_naming_the_key(string key, string value, string namedKey)
    {
        await using var gateway = Build(new() { ["Renault:Username"] = "owner@example.com", ["Renault:Password"] = "secret", [key] = value });

        var error = Assert.Throws<AggregateException>(() => gateway.Services.GetRequiredService<IStartupValidator>().Validate());

        var failures = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).Distinct().ToList();
        Assert.Contains(namedKey, Assert.Single(failures), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_defaults_are_the_real_eu_endpoints_and_the_country_comes_from_the_locale()
    {
        await using var gateway = Build(new() { ["Renault:Username"] = "owner@example.com", ["Renault:Password"] = "secret", ["Renault:Locale"] = "de_DE" });

        var options = gateway.Services.GetRequiredService<IOptions<RenaultOptions>>().Value;

        Assert.Equal("https://accounts.eu1.gigya.com", options.GigyaUrl);
        Assert.Equal("https://api-wired-prod-1-euw1.wrd-aws.com", options.KamereonUrl);
        Assert.Equal("DE", options.Country);
        Assert.Single(gateway.Services.GetServices<IVehicleProvider>());
    }
}
