
namespace EvGateway.Charging;

/// <summary>Times of day in the household's zone turned into instants, with daylight-saving changes handled.</summary>
public static class LocalTime
{
    /// <summary>
    /// The first instant at or after <paramref name="now"/> when the local clock shows <paramref name="at"/>, with the
    /// zone's offset. On the spring-forward night a time that does not exist happens as soon as the clock jumps past
    /// it; on the fall-back night an ambiguous time happens the first time the clock shows it.
    /// </summary>
    public static DateTimeOffset NextOccurrence(DateTimeOffset now, TimeOnly at, TimeZoneInfo zone)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, zone).DateTime);
        for (var day = today.AddDays(-1); ; day = day.AddDays(1))
        {
            var candidate = ToInstant(day.ToDateTime(at), zone);
            if (candidate >= now)
            {
                return candidate;
            }
        }
    }

    /// <summary>The instant a local wall-clock time denotes, resolving DST gaps forward and overlaps to the earlier instant.</summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(15);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>The instant expressed with the zone's offset at that instant.</summary>
    public static DateTimeOffset InZone(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone);
}
