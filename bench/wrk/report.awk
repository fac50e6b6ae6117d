# Prints bench/wrk-sweep's results table from its results.tsv (one line per wrk run, columns as named in BEGIN).
# Rows are grouped by scenario and connections; "vs mem" is the run's ok/s divided by the in-memory variant's
# ok/s at the same scenario and connections.
BEGIN {
    FS = "\t"
    split("variant scenario conns requests duration_us p50_us p99_us status_errors connect read write timeout redis_total breakdown cpu_us switches", names, " ")
}
{
    for (i = 1; i in names; i++) row[names[i]] = $i
    key = row["scenario"] SUBSEP row["conns"]
    if (!(key in seen)) { seen[key] = 1; order[++keys] = key }
    v = row["variant"]
    secs = row["duration_us"] / 1e6
    ok = row["requests"] - row["status_errors"]
    rps[key, v] = secs > 0 ? row["requests"] / secs : 0
    okps[key, v] = secs > 0 ? ok / secs : 0
    p50[key, v] = row["p50_us"] / 1000
    p99[key, v] = row["p99_us"] / 1000
    bad[key, v] = row["status_errors"]
    sock[key, v] = row["connect"] "/" row["read"] "/" row["write"] "/" row["timeout"]
    per_req[key, v] = row["requests"] > 0 ? sprintf("%.2f", row["redis_total"] / row["requests"]) : "-"
    mix[key, v] = row["breakdown"]
    cpu[key, v] = row["requests"] > 0 ? sprintf("%.0f", row["cpu_us"] / row["requests"]) : "-"
    csw[key, v] = row["requests"] > 0 ? sprintf("%.2f", row["switches"] / row["requests"]) : "-"
    if (!(v in known)) { known[v] = 1; variant_list[++variant_count] = v }
}
END {
    fmt = "%-8s %6s  %-8s %9s %9s %8s %8s %9s %15s %9s %7s %8s %7s  %s\n"
    printf fmt, "scenario", "conns", "variant", "req/s", "ok/s", "p50 ms", "p99 ms", "non-2xx", "sock c/r/w/t", "Redis/req", "vs mem", "CPU us", "csw", "Redis commands per request (commandstats)"
    for (k = 1; k <= keys; k++) {
        key = order[k]
        split(key, parts, SUBSEP)
        for (n = 1; n <= variant_count; n++) {
            v = variant_list[n]
            if (!((key, v) in rps)) continue
            ratio = "-"
            if (v != "inmemory" && okps[key, "inmemory"] > 0) ratio = sprintf("%.2f", okps[key, v] / okps[key, "inmemory"])
            printf fmt, parts[1], parts[2], v, sprintf("%.0f", rps[key, v]), sprintf("%.0f", okps[key, v]),
                sprintf("%.2f", p50[key, v]), sprintf("%.2f", p99[key, v]), bad[key, v], sock[key, v],
                per_req[key, v], ratio, cpu[key, v], csw[key, v], mix[key, v]
        }
    }
}
