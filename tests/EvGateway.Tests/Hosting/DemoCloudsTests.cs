using EvGateway.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace EvGateway.Tests.Hosting;

public class DemoCloudsTests
{
    [Fact]
    public async Task A_code_the_demo_cloud_e_mails_is_logged_marked_simulated_so_a_person_can_type_it()
    {
        var log = new CapturedLog();
        using var loggers = LoggerFactory.Create(logging => logging.AddProvider(log));
        await using var services = new ServiceCollection().BuildServiceProvider();
        var data = Directory.CreateTempSubdirectory("evgateway-demo-");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Demo"] = "true",
            ["Gateway:DataDirectory"] = data.FullName,
        }).Build();
        await using var demo = new DemoClouds([], configuration, loggers, TimeProvider.System, services,
            new ApplicationLifetime(NullLogger<ApplicationLifetime>.Instance), loggers.CreateLogger<DemoClouds>());
        demo.StartIfWanted();
        using var browser = new GigyaBrowser(demo.Simulator!.Renault);

        var check = await browser.CodeSentAsync();

        var line = Assert.Single(log.Lines, l => l.Contains("SIMULATED", StringComparison.Ordinal));
        Assert.Contains(check.Code, line, StringComparison.Ordinal);
        Assert.Contains(GigyaBrowser.Username, line, StringComparison.Ordinal);
        data.Delete(recursive: true);
    }
}
