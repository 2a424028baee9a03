-- The national data opt-out, published pseudonymously by the agencies that hold it (health:
-- it is recorded against the NHS number) at linkage time, so the gateway can apply it without
-- asking health at query time. NULL: no publishing agency knows this person — the gateway
-- treats that as opted out wherever the opt-out applies (fail closed).
ALTER TABLE mesh_person ADD COLUMN national_data_opt_out boolean;
