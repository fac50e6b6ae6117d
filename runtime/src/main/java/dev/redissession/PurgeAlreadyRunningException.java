package dev.redissession;

/**
 * A purge of the tenant is already running (on this or another replica); only one may run at a time. The admin API
 * answers 409 with the running job's id.
 */
public class PurgeAlreadyRunningException extends RuntimeException {

    private final String tenant;
    private final String runningJobId;

    public PurgeAlreadyRunningException(String tenant, String runningJobId) {
        super("A purge of tenant '" + tenant + "' is already running (job " + runningJobId
                + "); wait for it to end, or cancel it, before starting another");
        this.tenant = tenant;
        this.runningJobId = runningJobId;
    }

    public String tenant() {
        return tenant;
    }

    /** The id of the job that holds the tenant's purge lock. */
    public String runningJobId() {
        return runningJobId;
    }
}
