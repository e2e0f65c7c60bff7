package org.blip4j.serve;

import java.util.concurrent.CompletableFuture;

/** One inference endpoint: validates the form (on the HTTP thread) and queues the work; completes with the body. */
interface Route {
    CompletableFuture<Object> handle(Form form, Admission.Ticket ticket);
}
