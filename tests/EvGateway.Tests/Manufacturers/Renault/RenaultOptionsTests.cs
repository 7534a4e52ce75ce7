using EvGateway.Manufacturers.Renault;
using EvGateway.Vehicles;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.Manufacturers.Renault;

public class RenaultOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddRenault(configuration).BuildServiceProvider();
    }

    [Fact]
    public void Without_a_username_renault_is_registered_but_not_configured_and_its_settings_pass_validation()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Renault:Password"] = "secret", ["Renault:Locale"] = "france" })
            .Build();
        using var services = new ServiceCollection().AddLogging().AddRenault(configuration).BuildServiceProvider();

        var provider = Assert.Single(services.GetServices<IVehicleProvider>());
        Assert.False(provider.IsConfigured);
        Assert.False(Assert.Single(services.GetServices<MakerSetup>()).IsConfigured(configuration));
        Assert.Equal("france", services.GetRequiredService<IOptions<RenaultOptions>>().Value.Locale);
    }

    [Theory]
    [InlineData("Renault:Locale", "france", "Renault:Locale")]
    [InlineData("Renault:Password", "", "Renault:Password")]
    [InlineData("Renault:KamereonUrl", "not a url", "Renault:KamereonUrl")]
    [InlineData("Renault:RequestTimeoutSeconds", "0", "Renault:RequestTimeoutSeconds")]
    public void A_wrong_setting_fails_validation_with_a_line_naming_the_key(string key, string value, string namedKey)
    {
        using var services = Build(new() { ["Renault:Username"] = "owner@example.com", ["Renault:Password"] = "secret", [key] = value });

        var error = Assert.Throws<AggregateException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failures = error.InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures).Distinct().ToList();
        Assert.Contains(namedKey, Assert.Single(failures), StringComparison.Ordinal);
        Assert.DoesNotContain("secret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_the_real_eu_endpoints_and_the_country_comes_from_the_locale()
    {
        using var services = Build(new() { ["Renault:Username"] = "owner@example.com", ["Renault:Password"] = "secret", ["Renault:Locale"] = "de_DE" });

        var options = services.GetRequiredService<IOptions<RenaultOptions>>().Value;

        Assert.Equal("https://accounts.eu1.gigya.com", options.GigyaUrl);
        Assert.Equal("https://api-wired-prod-1-euw1.wrd-aws.com", options.KamereonUrl);
        Assert.Equal("DE", options.Country);
        Assert.Single(services.GetServices<IVehicleProvider>());
    }
}
