using EvGateway.History;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EvGateway.Tests.History;

public sealed class HistoryOptionsTests
{
    [Theory]
    [InlineData("History:NightPrice", "0.1", "History:NightStart")]
    [InlineData("History:NightStart", "22:30", "History:NightPrice")]
    [InlineData("History:ChargerEfficiency", "1.5", "History:ChargerEfficiency")]
    [InlineData("History:TimeZone", "Mars/Olympus", "History:TimeZone")]
    public void A_wrong_setting_fails_at_start_with_a_line_naming_the_key(string key, string value, string namedKey)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();
        using var services = new ServiceCollection().AddLogging().AddHistory(configuration).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        var failure = Assert.Single(error.Failures);
        Assert.Contains(namedKey, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_one_rate_and_an_efficiency_of_ninety_percent()
    {
        using var services = new ServiceCollection().AddLogging().AddHistory(new ConfigurationBuilder().Build()).BuildServiceProvider();

        services.GetRequiredService<IStartupValidator>().Validate();
        var options = services.GetRequiredService<IOptions<HistoryOptions>>().Value;
        Assert.Equal(0.9, options.ChargerEfficiency);
        Assert.Null(options.NightWindow());
    }
}
