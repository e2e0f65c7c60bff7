/*
 * The element-wise parameter updates of training (org.blip4j.train.HostUpdates) as native loops over the tensors'
 * own memory. The Java version copies every tile through a heap array, because the JIT vectorises loops over arrays
 * but not over direct buffers; these loops read and write the tensors in place at memory speed.
 *
 * Bit-identical to the Java version: the same float operations in the same order, with no contraction into fused
 * multiply-adds (-ffp-contract=off) and no reassociation (no -ffast-math). sqrtf is IEEE's correctly rounded square
 * root, as is Java's (float) Math.sqrt(double) of a float. Vector width is picked at load time (target_clones).
 *
 * Built by blip4j-core's pom (process-classes) into the jar; NativeUpdates loads it and falls back to Java without it.
 */
#include <jni.h>
#include <math.h>
#include <stddef.h>

#define CLONES __attribute__((target_clones("avx512f", "avx2", "default")))

CLONES static void adamw(float *restrict w, const float *restrict g, float *restrict m, float *restrict v, size_t n,
        float decay, float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float sqrtBc2, float eps,
        float stepSize) {
    for (size_t i = 0; i < n; i++) {
        float gi = g[i];
        float mi = m[i] * beta1 + gi * oneMinusBeta1;
        float vi = v[i] * beta2 + gi * gi * oneMinusBeta2;
        float denom = sqrtf(vi) / sqrtBc2 + eps;
        m[i] = mi;
        v[i] = vi;
        w[i] = w[i] * decay - mi / denom * stepSize;
    }
}

CLONES static void moving_average(float *restrict target, const float *restrict source, size_t n, float keep,
        float take) {
    for (size_t i = 0; i < n; i++) {
        target[i] = target[i] * keep + source[i] * take;
    }
}

/* The float address of a direct buffer's element `from`, after checking that [from, to) lies inside it; NULL (with
 * an IllegalArgumentException pending) otherwise. The Java side checks too; this keeps a bad call from writing out
 * of bounds. */
static float *range(JNIEnv *env, jobject buffer, jint from, jint to) {
    float *base = (float *) (*env)->GetDirectBufferAddress(env, buffer);
    jlong capacity = (*env)->GetDirectBufferCapacity(env, buffer);
    if (base == NULL || from < 0 || to < from || (jlong) to > capacity) {
        jclass iae = (*env)->FindClass(env, "java/lang/IllegalArgumentException");
        if (iae != NULL) {
            (*env)->ThrowNew(env, iae, "native update: not a direct buffer, or the range lies outside it");
        }
        return NULL;
    }
    return base + from;
}

JNIEXPORT void JNICALL Java_org_blip4j_train_NativeUpdates_adamw(JNIEnv *env, jclass cls, jobject w, jobject g,
        jobject m, jobject v, jint from, jint to, jfloat decay, jfloat beta1, jfloat oneMinusBeta1, jfloat beta2,
        jfloat oneMinusBeta2, jfloat sqrtBc2, jfloat eps, jfloat stepSize) {
    (void) cls;
    float *pw = range(env, w, from, to);
    float *pg = pw == NULL ? NULL : range(env, g, from, to);
    float *pm = pg == NULL ? NULL : range(env, m, from, to);
    float *pv = pm == NULL ? NULL : range(env, v, from, to);
    if (pv != NULL) {
        adamw(pw, pg, pm, pv, (size_t) (to - from), decay, beta1, oneMinusBeta1, beta2, oneMinusBeta2, sqrtBc2, eps,
                stepSize);
    }
}

JNIEXPORT void JNICALL Java_org_blip4j_train_NativeUpdates_movingAverage(JNIEnv *env, jclass cls, jobject target,
        jobject source, jint from, jint to, jfloat keep, jfloat take) {
    (void) cls;
    float *pt = range(env, target, from, to);
    float *ps = pt == NULL ? NULL : range(env, source, from, to);
    if (ps != NULL) {
        moving_average(pt, ps, (size_t) (to - from), keep, take);
    }
}
